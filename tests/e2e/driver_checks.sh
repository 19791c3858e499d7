#!/usr/bin/env bash
# End-to-end checks of the driver. Usage: driver_checks.sh BOLTZFLOW MPIEXEC "PREFLAGS" SOURCE_DIR
set -uo pipefail
BIN=$1 MPIEXEC=$2 PRE=$3 SRC=$4
W=$(mktemp -d ./e2e.XXXXXX)
fails=0 passes=0
source "$(dirname "$0")/lib.sh"  # ok, bad
run()  { local np=$1; shift; $MPIEXEC -n "$np" $PRE "$BIN" "$@"; }
# expect_error NAME EXPECTED_TEXT ARGS...: exit status 2, one line naming the key/file, no output.
expect_error() {
  local name=$1 text=$2; shift 2
  out=$(run 2 "$@" 2>&1); rc=$?
  if [ $rc -ne 2 ]; then bad "$name: exit status $rc, expected 2 ($out)"; return; fi
  if ! grep -q -- "$text" <<<"$out"; then bad "$name: message does not name '$text': $out"; return; fi
  lines=$(grep -c "boltzflow: error" <<<"$out")
  [ "$lines" -eq 1 ] || { bad "$name: $lines error lines (want 1 from rank 0): $out"; return; }
  if ls "$W"/bad* >/dev/null 2>&1; then bad "$name: output left behind: $(ls "$W")"; return; fi
  ok "$name"
}

DECK="$W/small.ini"
cat > "$DECK" <<EOD
[run]
method = mala
seed = 5
quiet = true
[target]
name = gmm
dim = 2
means = -2, 0, 2, 0
sigmas = 1, 1
weights = 0.3, 0.7
[mcmc]
chains = 64
warmup = 50
steps = 50
[metrics]
directions = 50
EOD

expect_error "unknown key" "mcmc.stepz" "$DECK" --mcmc.stepz=3 --output.prefix="$W/bad1"
expect_error "bad value type" "mcmc.chains" "$DECK" --mcmc.chains=ten --output.prefix="$W/bad2"
expect_error "out of range" "mcmc.step_size" "$DECK" --mcmc.step_size=-1 --output.prefix="$W/bad3"
expect_error "bad choice" "run.method" "$DECK" --run.method=nuts --output.prefix="$W/bad4"
expect_error "missing deck" "nonexistent.ini" "$W/nonexistent.ini"
printf '[mcmc]\nchainz = 3\n' > "$W/typo.ini"
expect_error "unknown deck key" "mcmc.chainz" "$W/typo.ini" --output.prefix="$W/bad5"
expect_error "unwritable output" "$W/no/such/dir" "$DECK" --output.prefix="$W/no/such/dir/bad6"
printf '[run]\nmethod = mala\n[target]\nname = gmm\nfile = %s/nonexistent.h5\n' "$W" > "$W/file.ini"
expect_error "missing mixture file" "$W/nonexistent.h5" "$W/file.ini" --output.prefix="$W/bad7"
printf '[target]\nname = grid\n' > "$W/grid.ini"
expect_error "NaN value" "target.sigma" "$W/grid.ini" --target.sigma=nan --output.prefix="$W/bad8"

# Every rank stops with status 2 (not only rank 0): each rank writes its own exit status.
$MPIEXEC -n 2 $PRE bash -c '"$0" "$@"; echo $? > "'"$W"'/rc.${OMPI_COMM_WORLD_RANK:-${PMI_RANK:-0}}"' \
  "$BIN" "$DECK" --mcmc.stepz=3 --output.prefix="$W/bad9" > /dev/null 2>&1
if [ "$(cat "$W/rc.0" 2>/dev/null)" = 2 ] && [ "$(cat "$W/rc.1" 2>/dev/null)" = 2 ]; then
  ok "exit status 2 on every rank"
else
  bad "per-rank exit status: rank 0 $(cat "$W/rc.0" 2>/dev/null), rank 1 $(cat "$W/rc.1" 2>/dev/null)"
fi
rm -f "$W"/rc.*

# Same seed on 1 and 2 ranks: bit-identical samples.
run 1 "$DECK" --output.prefix="$W/np1" > "$W/np1.log" 2>&1 || bad "np1 run failed: $(cat "$W/np1.log")"
run 2 "$DECK" --output.prefix="$W/np2" > "$W/np2.log" 2>&1 || bad "np2 run failed: $(cat "$W/np2.log")"
if [ -f "$W/np1_samples.h5" ] && [ -f "$W/np2_samples.h5" ]; then
  ok "runs wrote their files"
  if h5diff "$W/np1_samples.h5" "$W/np2_samples.h5" /samples/x /samples/x >/dev/null &&
     h5diff "$W/np1_samples.h5" "$W/np2_samples.h5" /samples/U /samples/U >/dev/null; then
    ok "1 rank and 2 ranks give identical samples"
  else
    bad "1-rank and 2-rank samples differ"
  fi
  ls "$W"/*.tmp >/dev/null 2>&1 && bad "temporary file left behind"
  /usr/bin/python3 - "$W/np2_samples.h5" <<'PY' && ok "h5py reads the layout" || bad "h5py layout check"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
x = f["samples/x"][...]
assert x.shape == (64, 2), x.shape
assert np.all(np.isfinite(x))
assert f["samples/U"].shape == (64,)
assert int(f["meta"].attrs["mpi_ranks"]) == 2
assert "deck" in f["config"]
assert "acceptance_rate" in f["metrics"].attrs
# The README's layout.
for name in ["x", "id", "U", "log_target", "log_q", "log_w", "mode"]:
    assert name in f["samples"], name
    assert f["samples"][name].shape[0] == 64, name
assert np.all(f["samples/id"][...] == np.arange(64))
assert np.allclose(f["samples/log_target"][...], -f["samples/U"][...])
for key in ["version", "git_hash", "mpi_ranks", "kokkos_version", "execution_space", "seed", "method", "target", "created"]:
    assert key in f["meta"].attrs, key
assert int(f["meta"].attrs["seed"]) == 5
for name in ["deck", "resolved"]:
    assert name in f["config"], name
for name in ["acceptance", "step_size"]:
    assert f["diagnostics"][name].shape == (100,), name
for key in ["energy_distance", "mmd", "sliced_w2", "mode_mse_sum", "entropic_mode_coverage", "samples", "peak_rss_mib_max_rank"]:
    assert key in f["metrics"].attrs, key
assert f["metrics/mode_weights"].shape == (2,)
assert "means" in f["target"]
PY
  h5dump -H "$W/np2_samples.h5" > /dev/null && ok "h5dump reads the file" || bad "h5dump"
else
  bad "missing output files"
fi
# More ranks than chains: the rank without particles still takes part in the collective writes.
run 3 "$DECK" --mcmc.chains=2 --metrics.enabled=false --output.prefix="$W/empty" > "$W/empty.log" 2>&1 &&
  /usr/bin/python3 -c "import h5py, sys; f = h5py.File(sys.argv[1]); assert f['samples/x'].shape == (2, 2)" \
    "$W/empty_samples.h5" && ok "a rank with no particles" || bad "3 ranks, 2 chains: $(cat "$W/empty.log")"

# One rank failing alone (the other is already waiting in a collective): MPI_Abort ends the job,
# no hang (timeout 60 s), no samples file.
t0=$(date +%s)
timeout 60 $MPIEXEC -x BOLTZFLOW_FAULT_RANK=1 -n 2 $PRE "$BIN" "$DECK" --output.prefix="$W/fault" > "$W/fault.log" 2>&1; rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q "rank 1: fatal: fault injected" "$W/fault.log" && ! ls "$W"/fault_* >/dev/null 2>&1; then
  ok "one rank failing: the job aborts (exit $rc after $(( $(date +%s) - t0 )) s), no output or .tmp file left"
else bad "one rank failing: rc=$rc: $(tail -5 "$W/fault.log")"; fi

# --help: every key with its default, e.g. "--run.seed arg (=1)" followed by its help text.
help=$("$BIN" --help)
if grep -q -- "--run.seed arg (=1)" <<<"$help" && grep -q -- "--mcmc.step_size arg (=0.05)" <<<"$help" &&
   grep -q -- "--target.name arg (=gmm40)" <<<"$help"; then
  ok "--help lists keys with defaults"
else
  bad "--help: $help"
fi

# Progress lines (step, diagnostics, elapsed, ETA) on rank 0 only; Kokkos' own flags are tolerated.
run 2 "$DECK" --run.quiet=false --mcmc.print_every=25 --output.prefix="$W/progress" --kokkos-threads=1 > "$W/progress.log" 2>&1 ||
  bad "progress run failed: $(cat "$W/progress.log")"
n_progress=$(grep -cE "^\[mala\] step [0-9]+/100 .*acc=.*elapsed [0-9.]+ s  eta [0-9.]+ s  rss [0-9]+ MiB" "$W/progress.log")
[ "$n_progress" -eq 4 ] && ok "4 progress lines with ETA and peak memory from rank 0" || bad "progress lines ($n_progress): $(cat "$W/progress.log")"
rm -rf "$W"
echo "$passes passed, $fails failed"
[ $fails -eq 0 ]
