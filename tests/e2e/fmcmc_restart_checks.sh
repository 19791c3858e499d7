#!/usr/bin/env bash
# Checkpoint/restart of flow_mcmc, end to end. A checkpoint holds the state after a completed
# round (a burn-in move or an iteration: chains, window, flow, Adam, step size, record so far).
#  1. SIGKILL at a random point after the first checkpoint, restart with run.restart=auto: the
#     samples, their log q, the acceptance and loss series and the final network are identical
#     to an uninterrupted run (same seed, 2 ranks); the last checkpoint is the end of production;
#     a run cut short mid-production (a shorter production phase) and resumed under the full
#     deck gives the same output too (restores the recorded samples and the frozen flow);
#  1b. the same with the maximum-likelihood flow loss; a checkpoint of one loss is refused by a
#     deck with the other (exit 2 naming flow_mcmc.loss);
#  2. SIGUSR1 forwarded by mpirun to 2 ranks and SIGTERM to a single process, mid-training: exit
#     status 4 within seconds, a checkpoint, no samples file; each checkpoint resumes (with the
#     training phase cut to the iterations it completed);
#  3. a checkpoint that does not fit the deck (walker count, a completed phase's length) is
#     refused with exit 2 naming run.restart;
#  4. run.method = interpolant (trained on the samples of 1; a checkpoint holds the flow and Adam
#     after a step): SIGKILL + restart identical on 2 ranks, SIGTERM checkpoints, exits 4, resumes.
# Usage: fmcmc_restart_checks.sh BOLTZFLOW MPIEXEC "PREFLAGS"
set -uo pipefail
BIN=$1 MPIEXEC=$2 PRE=$3
source "$(dirname "$0")/lib.sh"
e2e_init fmcmc_restart
DECK="$W/fm.ini"
BURNIN=20 PRODUCTION=40
{ deck_head flow_mcmc 7 5 "-3, 0, 3, 0" "0.7, 0.7" "0.3, 0.7"; cat <<EOD
[flow_mcmc]
walkers = 64
start = list
start_values = -3, 0, 3, 0
burnin = $BURNIN
step_size = 0.1
local_steps = 5
global_steps = 3
training_iterations = 30
train_steps = 10
production_iterations = $PRODUCTION
window = 20
batch = 128
time_bins = 4
ode_steps = 4
lr = 0.003
EOD
deck_tail 16
} > "$DECK"
N=$((BURNIN + 30 + PRODUCTION))

# 1. SIGKILL + restart
check_sigkill_restart fm "$DECK" 2 \
  "/samples/x /samples/log_q /diagnostics/local_acceptance /diagnostics/global_acceptance /diagnostics/loss /flow_mcmc/network/params" \
  "resumed at step [0-9]+ of $N"
[ "$(h5_int_attr "$W/fm_ref_checkpoint.h5" /state/rounds)" = $N ] \
  && ok "the last checkpoint is the end of production (step $N)" || bad "the reference's last checkpoint is not at step $N"

$MPIEXEC -n 2 $PRE "$BIN" "$DECK" --flow_mcmc.production_iterations=13 --output.prefix="$W/cut" > "$W/cut.log" 2>&1 \
  && rm -f "$W/cut_samples.h5" \
  && $MPIEXEC -n 2 $PRE "$BIN" "$DECK" --output.prefix="$W/cut" --run.restart=auto --run.quiet=false > "$W/cut.restart.log" 2>&1 \
  && grep -q "resumed at step 63 of $N" "$W/cut.restart.log" \
  && same_h5 "cut at step 63 (production), resumed" "$W/fm_ref_samples.h5" "$W/cut_samples.h5" /samples/x /samples/log_q \
       /diagnostics/global_acceptance /diagnostics/mode_switches \
  || bad "the run cut at step 63 did not resume: $(tail -3 "$W/cut.restart.log")"

# 1b. maximum-likelihood training (with the full-covariance whitening) resumes the same way
check_sigkill_restart fmml "$DECK" 2 \
  "/samples/x /samples/log_q /diagnostics/loss /flow_mcmc/network/params /flow_mcmc/network/whitening_factor" \
  "resumed at step [0-9]+ of $N" --flow_mcmc.loss=likelihood --flow_mcmc.train_steps=3 --flow_mcmc.whitening=full
out=$("$BIN" "$DECK" --output.prefix="$W/other" --run.restart="$W/fmml_ref_checkpoint.h5" --flow_mcmc.whitening=full 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "flow_mcmc.loss" <<<"$out" && ok "a likelihood checkpoint under loss = interpolant: exit 2 naming flow_mcmc.loss" \
  || bad "likelihood checkpoint under the interpolant loss: rc=$rc $out"

# 2. signals in a training phase far longer than the test, so the signal always arrives mid-run
for case in "usr1 USR1 2" "term TERM 1"; do
  set -- $case
  check_signal_stop "$1" "$2" "$DECK" "$3" --flow_mcmc.training_iterations=100000000
  c=$(h5_int_attr "$W/$1_checkpoint.h5" /state/rounds)
  t=$(( ${c:-0} > BURNIN ? ${c:-0} - BURNIN : 1 ))  # training iterations completed (at least 1)
  out=$($MPIEXEC -n "$3" $PRE "$BIN" "$DECK" --flow_mcmc.training_iterations=$t --output.prefix="$W/$1" \
        --run.restart=auto --run.quiet=false 2>&1) && grep -q "resumed at step $c of $((BURNIN + t + PRODUCTION))" <<<"$out" \
    && [ -f "$W/$1_samples.h5" ] && ok "SIG$2 checkpoint (step $c) resumes on $3 rank(s)" || bad "restart after SIG$2 failed: $out"
done

# 3. checkpoints that do not fit the deck are one-line input errors
for args in "--flow_mcmc.walkers=32" "--flow_mcmc.training_iterations=10" "--flow_mcmc.whitening=full"; do
  out=$("$BIN" "$DECK" $args --output.prefix="$W/other" --run.restart="$W/fm_ref_checkpoint.h5" 2>&1); rc=$?
  if [ $rc -eq 2 ] && grep -q "run.restart" <<<"$out" && [ ! -f "$W/other_samples.h5" ]; then ok "mismatched checkpoint ($args): exit 2 naming run.restart"
  else bad "mismatched checkpoint ($args): rc=$rc $out"; fi
done

# 4. the interpolant trainer on the samples of the flow_mcmc reference run
IDECK="$W/ip.ini"
{ deck_head interpolant 3 20 "-3, 0, 3, 0" "0.7, 0.7" "0.3, 0.7"; cat <<EOD
[interpolant]
data = $W/fm_ref_samples.h5
steps = 400
batch = 128
time_bins = 4
ode_steps = 4
samples = 500
EOD
deck_tail 16
} > "$IDECK"
check_sigkill_restart ip "$IDECK" 2 "/samples/x /samples/log_q /diagnostics/loss /interpolant/network/params" \
  "resumed at step [0-9]+ of 400"
check_signal_stop ipterm TERM "$IDECK" 1 --interpolant.steps=1000000000
c=$(h5_int_attr "$W/ipterm_checkpoint.h5" /state/step)
out=$("$BIN" "$IDECK" --interpolant.steps="${c:-1}" --output.prefix="$W/ipterm" --run.restart=auto --run.quiet=false 2>&1) \
  && grep -q "resumed at step $c of $c" <<<"$out" && [ -f "$W/ipterm_samples.h5" ] \
  && ok "interpolant: SIGTERM checkpoint (step $c) resumes" || bad "interpolant: restart after SIGTERM failed: $out"

e2e_finish
