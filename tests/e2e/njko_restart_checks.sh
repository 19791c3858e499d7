#!/usr/bin/env bash
# Checkpoint/restart of neural_jko (a checkpoint = the state after a completed step of the plan,
# CNF or rejection step; the plan here is C C R R C R R), end to end:
#  1. SIGKILL after the first checkpoint, restart with run.restart=auto: the samples, log q, the
#     per-step diagnostics, training curves, rejection constants and networks are identical to an
#     uninterrupted run (same seed, 2 ranks);
#  2. a 1-rank run gives the 2-rank samples to rounding (random numbers keyed by global indices);
#  3. SIGUSR1 forwarded by mpirun to 2 ranks, and SIGTERM to a single process, mid-run: exit 4, a
#     checkpoint, no samples file; each checkpoint resumes (the 2-rank one on 1 rank and back);
#  4. a checkpoint of another deck (dataset size; step plan) is refused with exit 2 naming run.restart;
#  5. an absurd learning rate after a resume: exit 3 naming the step and iteration, no samples
#     file, the last good checkpoint kept.
# Usage: njko_restart_checks.sh BOLTZFLOW MPIEXEC "PREFLAGS"
set -uo pipefail
BIN=$1 MPIEXEC=$2 PRE=$3
source "$(dirname "$0")/lib.sh"
e2e_init njko_restart
DECK="$W/njko.ini"
{ deck_head neural_jko 5 1; cat <<EOD
[neural_jko]
n_flow = 1
n_rej = 2
rejections_per_block = 2
tau0 = 0.5
tau_base = 2
dataset = 2000
iterations = 50
batch = 400
width = 12
depth = 2
ode_steps = 3
stack_size = 500
eval_batch = 512
samples = 1000
print_every = 0
EOD
deck_tail
} > "$DECK"
SAME="/samples/x /samples/log_q /diagnostics/loss /diagnostics/kinetic /diagnostics/elbo_after_cnf
      /diagnostics/rejection_log_c /diagnostics/rejection_r_hat /diagnostics/elbo_after_rejection
      /neural_jko/loss_history /neural_jko/rejection /networks/cnf_1/params /networks/cnf_3/params"

# 1. SIGKILL + restart
check_sigkill_restart njko "$DECK" 2 "$SAME" "resumed after step [0-9]+ of 7"
[ "$(h5_int_attr "$W/njko_ref_checkpoint.h5" /state/completed)" = 7 ] \
  && ok "checkpoint_every = 1: the last checkpoint holds all 7 steps" || bad "the reference's last checkpoint does not hold 7 steps"

# 2. one rank: the same samples to rounding (the MPI sums of the training and of the fit of c differ in order)
if "$BIN" "$DECK" --output.prefix="$W/one" > "$W/one.log" 2>&1 && h5diff -d 1e-9 "$W/njko_ref_samples.h5" "$W/one_samples.h5" /samples/x >/dev/null \
   && h5diff -d 1e-9 "$W/njko_ref_samples.h5" "$W/one_samples.h5" /samples/log_q >/dev/null; then
  ok "1 rank and 2 ranks: /samples/x and /samples/log_q agree to 1e-9"
else bad "1 rank and 2 ranks differ: $(tail -3 "$W/one.log")"; fi

# 3. SIGUSR1 to mpirun, forwarded to both ranks, and SIGTERM to one process, in runs far longer than the test
resume() {  # resume NAME NP: the checkpoint NAME_checkpoint.h5 (all CNF steps) with one rejection block more
  local c; c=$(h5_int_attr "$W/$1_checkpoint.h5" /state/completed)
  local steps=$(( ${c:-0} + 3 )) out
  out=$($MPIEXEC -n "$2" $PRE "$BIN" "$DECK" --neural_jko.n_flow="$c" --neural_jko.n_rej=1 --output.prefix="$W/$1" \
        --run.restart=auto --run.quiet=false 2>&1) && grep -q "resumed after step $c of $steps" <<<"$out" && [ -f "$W/$1_samples.h5" ] \
    && ok "$1 checkpoint (step $c) resumes on $2 rank(s)" || bad "restart of $1 failed: $(tail -5 <<<"$out")"
}
check_signal_stop usr1 USR1 "$DECK" 2 --neural_jko.n_flow=10000
resume usr1 1
check_signal_stop term TERM "$DECK" 1 --neural_jko.n_flow=10000
resume term 2

# 4. checkpoints that do not fit the deck: one-line input errors
refuse() {  # refuse WHAT ARGS...
  local what=$1 out rc; shift
  out=$("$BIN" "$DECK" "$@" --output.prefix="$W/other" --run.restart="$W/njko_ref_checkpoint.h5" 2>&1); rc=$?
  if [ $rc -eq 2 ] && grep -q "run.restart" <<<"$out" && [ ! -f "$W/other_samples.h5" ]; then ok "checkpoint of $what: exit 2 naming run.restart"
  else bad "checkpoint of $what: rc=$rc $out"; fi
}
refuse "another dataset size" --neural_jko.dataset=1000
refuse "another step plan" --neural_jko.n_flow=2

# 5. NaN/Inf: resumed after step 7 with one more block at lr = 1000, the new CNF step blows up
cp "$W/njko_ref_checkpoint.h5" "$W/nan_checkpoint.h5"
out=$($MPIEXEC -n 2 $PRE "$BIN" "$DECK" --neural_jko.n_rej=3 --neural_jko.lr=1000 --output.prefix="$W/nan" --run.restart=auto 2>&1); rc=$?
if [ $rc -eq 3 ] && grep -q "numerical failure: neural_jko step 8/10.*iteration" <<<"$out" && [ ! -f "$W/nan_samples.h5" ] \
   && [ "$(h5_int_attr "$W/nan_checkpoint.h5" /state/completed)" = 7 ]; then
  ok "lr = 1000: exit 3 naming step 8 and the iteration, no samples file, checkpoint after step 7 kept"
else bad "lr = 1000: rc=$rc $(grep boltzflow <<<"$out")"; fi

e2e_finish
