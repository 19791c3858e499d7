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
source "$(dirname "$0")/lib.sh"
e2e_init af_restart
DECK="$W/af.ini"
{ deck_head annealing_flow 5 1; cat <<EOD
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
EOD
deck_tail
} > "$DECK"

# 1. SIGKILL + restart
check_sigkill_restart af "$DECK" 2 "/samples/x /samples/log_q" "resumed after block [0-9]+ of 4"
[ "$(h5_int_attr "$W/af_ref_checkpoint.h5" /state/completed)" = 4 ] \
  && ok "checkpoint_every = 1: the last checkpoint holds 4 blocks" || bad "the reference's last checkpoint does not hold 4 blocks"

# 2. SIGUSR1 to mpirun, forwarded to both ranks (SLURM: --signal=USR1@T), in a run far longer than the test
check_signal_stop usr1 USR1 "$DECK" 2 --annealing_flow.blocks=10000
c=$(h5_int_attr "$W/usr1_checkpoint.h5" /state/completed)
nb=$(( ${c:-0} + 1 > 3 ? ${c:-0} + 1 : 3 ))
out=$($MPIEXEC -n 2 $PRE "$BIN" "$DECK" --annealing_flow.blocks=$nb --output.prefix="$W/usr1" --run.restart=auto \
      --run.quiet=false 2>&1) && grep -q "resumed after block $c of $nb" <<<"$out" && [ -f "$W/usr1_samples.h5" ] \
  && ok "SIGUSR1 checkpoint (block $c) resumes on 2 ranks" || bad "restart after SIGUSR1 failed: $out"

# 3. a checkpoint that does not fit the deck is a one-line input error
out=$("$BIN" "$DECK" --annealing_flow.particles=1000 --output.prefix="$W/other" --run.restart="$W/af_ref_checkpoint.h5" 2>&1); rc=$?
if [ $rc -eq 2 ] && grep -q "run.restart" <<<"$out"; then ok "mismatched checkpoint: exit 2 naming run.restart"
else bad "mismatched checkpoint: rc=$rc $out"; fi

e2e_finish
