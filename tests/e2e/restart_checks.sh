#!/usr/bin/env bash
# Checkpoint/restart and signals, end to end:
#  1. SIGKILL at a random point after the first checkpoint, restart with run.restart=auto:
#     the final samples and diagnostics are identical to an uninterrupted run (same seed, 2 ranks);
#  2. SIGTERM (single process) and SIGUSR1 (forwarded by mpirun to 2 ranks): a checkpoint is
#     written and the process exits with status 4 within seconds; the checkpoint resumes.
# Usage: restart_checks.sh BOLTZFLOW MPIEXEC "PREFLAGS"
set -uo pipefail
BIN=$1 MPIEXEC=$2 PRE=$3
W=$(realpath "$(mktemp -d ./restart.XXXXXX)")
fails=0 passes=0
ok()  { passes=$((passes + 1)); echo "ok: $*"; }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }
DECK="$W/mala.ini"
cat > "$DECK" <<EOD
[run]
method = mala
seed = 11
quiet = true
checkpoint_every = 25
[target]
name = gmm
dim = 2
means = -3, 0, 3, 0
sigmas = 1, 1
weights = 0.4, 0.6
[mcmc]
chains = 400
warmup = 300
steps = 4000
[metrics]
enabled = false
EOD
same() {  # same NAME A B: samples and diagnostics bit-identical
  if h5diff "$2" "$3" /samples/x >/dev/null && h5diff "$2" "$3" /diagnostics/acceptance >/dev/null \
     && h5diff "$2" "$3" /diagnostics/step_size >/dev/null; then ok "$1: identical to the uninterrupted run"
  else bad "$1: samples differ from the uninterrupted run"; fi
}
wait_file() { for _ in $(seq 300); do [ -f "$1" ] && return 0; sleep 0.1; done; return 1; }

$MPIEXEC -n 2 $PRE "$BIN" "$DECK" --output.prefix="$W/ref" || bad "reference run failed"

# 1. SIGKILL
setsid $MPIEXEC -n 2 $PRE "$BIN" "$DECK" --output.prefix="$W/kill" > "$W/kill.log" 2>&1 &
pid=$!
wait_file "$W/kill_checkpoint.h5" || bad "no checkpoint appeared"
sleep "0.$((RANDOM % 9 + 1))"
# A node crash: mpirun and every rank die at once (Open MPI puts ranks in their own process groups).
kill -KILL -- -"$pid" 2>/dev/null; pkill -KILL -f -- "--output.prefix=$W/kill" 2>/dev/null; wait "$pid" 2>/dev/null
while pgrep -f -- "--output.prefix=$W/kill" >/dev/null; do sleep 0.1; done
if [ -f "$W/kill_samples.h5" ]; then echo "note: the run finished before the kill"; fi
rm -f "$W/kill_samples.h5"
$MPIEXEC -n 2 $PRE "$BIN" "$DECK" --output.prefix="$W/kill" --run.restart=auto --run.quiet=false > "$W/kill2.log" 2>&1 \
  || bad "restart after SIGKILL failed: $(grep -v " = " "$W/kill2.log" | tail -5)"
grep -o "resumed at step [0-9]*" "$W/kill2.log" || true
same "SIGKILL + restart" "$W/ref_samples.h5" "$W/kill_samples.h5"

# 2. signals: a run far longer than the test, so the signal always arrives mid-run
LONG=(--mcmc.steps=100000000 --mcmc.record_every=0)
# 2a. SIGTERM to a single process (a singleton MPI run)
"$BIN" "$DECK" "${LONG[@]}" --output.prefix="$W/term" > "$W/term.log" 2>&1 &
pid=$!
wait_file "$W/term_checkpoint.h5"; sleep 0.3
t0=$(date +%s.%N); kill -TERM "$pid"; wait "$pid"; rc=$?; t1=$(date +%s.%N)
dt=$(awk "BEGIN { print $t1 - $t0 }")
if [ $rc -eq 4 ] && [ ! -f "$W/term_samples.h5" ] && grep -q "stopped by signal" "$W/term.log" && awk "BEGIN { exit !($dt < 5) }"; then
  ok "SIGTERM: exit 4 after ${dt}s with a checkpoint, no samples file"
else bad "SIGTERM: rc=$rc after ${dt}s: $(cat "$W/term.log")"; fi
# the checkpoint resumes (a shorter total: the run ends at the checkpointed step)
out=$("$BIN" "$DECK" --output.prefix="$W/term" --run.restart=auto --run.quiet=false --mcmc.record_every=0 2>&1) && grep -q "resumed at step" <<<"$out" \
  && [ -f "$W/term_samples.h5" ] && ok "SIGTERM checkpoint resumes" || bad "restart after SIGTERM failed: $out"

# 2b. SIGUSR1 to mpirun, forwarded to both ranks (SLURM: --signal=USR1@T)
$MPIEXEC -n 2 $PRE "$BIN" "$DECK" "${LONG[@]}" --output.prefix="$W/usr1" > "$W/usr1.log" 2>&1 &
pid=$!
wait_file "$W/usr1_checkpoint.h5"; sleep 0.3
kill -USR1 "$pid"; wait "$pid"; rc=$?
if [ $rc -eq 4 ] && grep -q "stopped by signal" "$W/usr1.log"; then ok "SIGUSR1 via mpirun: exit 4 with a checkpoint"
else bad "SIGUSR1 via mpirun: rc=$rc: $(cat "$W/usr1.log")"; fi
out=$($MPIEXEC -n 2 $PRE "$BIN" "$DECK" --output.prefix="$W/usr1" --run.restart=auto --run.quiet=false --mcmc.record_every=0 2>&1) \
  && grep -q "resumed at step" <<<"$out" && [ -f "$W/usr1_samples.h5" ] && ok "SIGUSR1 checkpoint resumes on 2 ranks" \
  || bad "restart after SIGUSR1 failed: $out"

# 3. a bad restart file is a one-line input error
out=$("$BIN" "$DECK" --output.prefix="$W/bad" --run.restart="$W/nope.h5" 2>&1); rc=$?
if [ $rc -eq 2 ] && grep -q "nope.h5" <<<"$out"; then ok "missing restart file: exit 2 naming it"; else bad "missing restart file: rc=$rc $out"; fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ] && rm -rf "$W"; [ "$fails" -eq 0 ] || echo "kept $W"
[ "$fails" -eq 0 ]
