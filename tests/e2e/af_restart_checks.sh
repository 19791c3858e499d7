#!/usr/bin/env bash
# Checkpoint/restart of annealing_flow (a checkpoint = the state after a completed block), end to end:
#  1. SIGKILL after the first checkpoint, restart with run.restart=auto: /samples/x and
#     /samples/log_q are identical to an uninterrupted run (same seed, 2 ranks);
#  2. SIGUSR1 forwarded by mpirun to 2 ranks mid-run: exit status 4, a checkpoint, no samples file;
#     the checkpoint resumes (with one block more than it completed, at least anneal_blocks = 3);
#  3. a checkpoint of another deck (different particle count) is refused with exit 2.
# Usage: af_restart_checks.sh BOLTZFLOW MPIEXEC "PREFLAGS"
set -uo pipefail
BIN=$1 MPIEXEC=$2 PRE=$3
W=$(realpath "$(mktemp -d ./af_restart.XXXXXX)")
fails=0 passes=0
ok()  { passes=$((passes + 1)); echo "ok: $*"; }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }
DECK="$W/af.ini"
cat > "$DECK" <<EOD
[run]
method = annealing_flow
seed = 5
quiet = true
checkpoint_every = 1
[target]
name = gmm
dim = 2
means = -2, 0, 2, 0
sigmas = 1, 1
weights = 0.4, 0.6
[annealing_flow]
blocks = 4
anneal_blocks = 3
iterations = 20
batch = 500
particles = 2000
samples = 1000
trajectories = 4
width = 16
lr = 3e-3
print_every = 0
[metrics]
enabled = false
EOD
same() {  # same NAME A B: samples bit-identical
  if h5diff "$2" "$3" /samples/x >/dev/null && h5diff "$2" "$3" /samples/log_q >/dev/null; then
    ok "$1: /samples/x and /samples/log_q identical to the uninterrupted run"
  else bad "$1: samples differ from the uninterrupted run"; fi
}
wait_file() { for _ in $(seq 600); do [ -f "$1" ] && return 0; sleep 0.05; done; return 1; }
completed() { h5dump -a /state/completed "$1" 2>/dev/null | sed -n 's/^ *(0): *\([0-9]*\).*/\1/p'; }

t0=$(date +%s.%N)
$MPIEXEC -n 2 $PRE "$BIN" "$DECK" --output.prefix="$W/ref" || bad "reference run failed"
echo "reference run: $(awk "BEGIN { print $(date +%s.%N) - $t0 }") s"
[ "$(completed "$W/ref_checkpoint.h5")" = 4 ] && ok "checkpoint_every = 1: the last checkpoint holds 4 blocks" \
  || bad "last checkpoint of the reference holds '$(completed "$W/ref_checkpoint.h5")' blocks, not 4"

# 1. SIGKILL (a node crash: mpirun and every rank die at once; Open MPI ranks have their own process groups)
setsid $MPIEXEC -n 2 $PRE "$BIN" "$DECK" --output.prefix="$W/kill" > "$W/kill.log" 2>&1 &
pid=$!
wait_file "$W/kill_checkpoint.h5" || bad "no checkpoint appeared"
kill -KILL -- -"$pid" 2>/dev/null; pkill -KILL -f -- "--output.prefix=$W/kill" 2>/dev/null; wait "$pid" 2>/dev/null
while pgrep -f -- "--output.prefix=$W/kill" >/dev/null; do sleep 0.1; done
c=$(completed "$W/kill_checkpoint.h5")
if [ -f "$W/kill_samples.h5" ] || [ "$c" = 4 ]; then echo "note: the run finished its training before the kill"; fi
rm -f "$W/kill_samples.h5"
$MPIEXEC -n 2 $PRE "$BIN" "$DECK" --output.prefix="$W/kill" --run.restart=auto --run.quiet=false > "$W/kill2.log" 2>&1 \
  || bad "restart after SIGKILL failed: $(grep -v " = " "$W/kill2.log" | tail -5)"
grep -q "resumed after block $c of 4" "$W/kill2.log" && ok "SIGKILL: resumed after block $c of 4" \
  || bad "SIGKILL: no 'resumed after block $c' in the restart log"
same "SIGKILL + restart" "$W/ref_samples.h5" "$W/kill_samples.h5"

# 2. SIGUSR1 to mpirun, forwarded to both ranks (SLURM: --signal=USR1@T), in a run far longer than the test
LONG=(--annealing_flow.blocks=10000)
$MPIEXEC -n 2 $PRE "$BIN" "$DECK" "${LONG[@]}" --output.prefix="$W/usr1" > "$W/usr1.log" 2>&1 &
pid=$!
wait_file "$W/usr1_checkpoint.h5"; sleep 0.2
t0=$(date +%s.%N); kill -USR1 "$pid"; wait "$pid"; rc=$?
dt=$(awk "BEGIN { print $(date +%s.%N) - $t0 }")
c=$(completed "$W/usr1_checkpoint.h5")
if [ $rc -eq 4 ] && grep -q "stopped by signal" "$W/usr1.log" && [ ! -f "$W/usr1_samples.h5" ] && [ -n "$c" ] \
   && awk "BEGIN { exit !($dt < 5) }"; then
  ok "SIGUSR1 via mpirun: exit 4 after ${dt}s, checkpoint after block $c, no samples file ($(grep -o "stopped by signal[^;]*" "$W/usr1.log" | head -1))"
else bad "SIGUSR1 via mpirun: rc=$rc after ${dt}s, checkpoint blocks '$c': $(cat "$W/usr1.log")"; fi
nb=$(( ${c:-0} + 1 > 3 ? ${c:-0} + 1 : 3 ))
out=$($MPIEXEC -n 2 $PRE "$BIN" "$DECK" --annealing_flow.blocks=$nb --output.prefix="$W/usr1" --run.restart=auto \
      --run.quiet=false 2>&1) && grep -q "resumed after block $c of $nb" <<<"$out" && [ -f "$W/usr1_samples.h5" ] \
  && ok "SIGUSR1 checkpoint resumes on 2 ranks" || bad "restart after SIGUSR1 failed: $out"

# 3. a checkpoint that does not fit the deck is a one-line input error
out=$("$BIN" "$DECK" --annealing_flow.particles=1000 --output.prefix="$W/other" --run.restart="$W/ref_checkpoint.h5" 2>&1); rc=$?
if [ $rc -eq 2 ] && grep -q "run.restart" <<<"$out"; then ok "mismatched checkpoint: exit 2 naming run.restart"
else bad "mismatched checkpoint: rc=$rc $out"; fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ] && rm -rf "$W"; [ "$fails" -eq 0 ] || echo "kept $W"
[ "$fails" -eq 0 ]
