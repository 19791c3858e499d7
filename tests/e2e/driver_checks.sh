#!/usr/bin/env bash
# End-to-end checks of the driver. Usage: driver_checks.sh BOLTZFLOW MPIEXEC "PREFLAGS" SOURCE_DIR
set -uo pipefail
BIN=$1 MPIEXEC=$2 PRE=$3 SRC=$4
W=$(mktemp -d ./e2e.XXXXXX)
fails=0 passes=0
ok()   { passes=$((passes + 1)); echo "ok: $*"; }
bad()  { fails=$((fails + 1)); echo "FAIL: $*"; }
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
PY
  h5dump -H "$W/np2_samples.h5" > /dev/null && ok "h5dump reads the file" || bad "h5dump"
else
  bad "missing output files"
fi
"$BIN" --help | grep -q "mcmc.step_size" && ok "--help lists keys" || bad "--help"
rm -rf "$W"
echo "$passes passed, $fails failed"
[ $fails -eq 0 ]
