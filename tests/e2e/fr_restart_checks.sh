#!/usr/bin/env bash
# Checkpoint/restart and numerical failures of fisher_rao (a checkpoint = the complete training
# state: networks, Adam moments and steps, iteration, series), end to end on a tiny 2-D deck:
#  1. SIGKILL after the first checkpoint, restart with run.restart=auto: /samples/x, /samples/log_q
#     and the loss series are identical to an uninterrupted run (same seed, 2 ranks);
#  2. SIGTERM to 1 process and SIGUSR1 forwarded by mpirun to 2 ranks, mid-training: exit status 4,
#     a checkpoint, no samples file; each checkpoint resumes; with run.checkpoint_every = 0 a
#     SIGKILL or SIGTERM while sampling: the checkpoint written after training restarts into
#     sampling (no retraining) and gives the uninterrupted run's samples bit for bit;
#  3. a checkpoint of another deck (network width, interpolation, target) is refused with exit 2;
#  4. a NaN/Inf gradient, loss or sampled particle: exit 3 naming the iteration, no samples file,
#     and the last good checkpoint is still there.
# Usage: fr_restart_checks.sh BOLTZFLOW MPIEXEC "PREFLAGS"
set -uo pipefail
BIN=$1 MPIEXEC=$2 PRE=$3
source "$(dirname "$0")/lib.sh"
e2e_init fr_restart
DECK="$W/fr.ini"
{ deck_head fisher_rao 7 10; cat <<EOD
[fisher_rao]
interpolation = gradient_flow
iterations = 400
batch = 512
time_groups = 8
box_lo = -6
box_hi = 6
samples = 400
sample_batch = 200
nll_samples = 0
save_trajectories = 4
sample_steps = 20
time_width = 8
lr = 3e-3
print_every = 100
[network]
width = 16
depth = 2
[metrics]
enabled = false
EOD
} > "$DECK"

# 1. SIGKILL + restart
check_sigkill_restart fr "$DECK" 2 "/samples/x /samples/log_q /diagnostics/loss /diagnostics/grad_norm" \
  "resumed at iteration [0-9]+ of 400"
[ "$(h5_int_attr "$W/fr_ref_checkpoint.h5" /state/iteration)" = 400 ] \
  && ok "the last checkpoint is the one after training (iteration 400)" || bad "the reference's last checkpoint is not at iteration 400"

# 2. signals, in a run far longer than the test; each checkpoint resumes (20 iterations more)
for case in "term TERM 1" "usr1 USR1 2"; do
  set -- $case
  check_signal_stop "$1" "$2" "$DECK" "$3" --fisher_rao.iterations=100000000
  k=$(h5_int_attr "$W/$1_checkpoint.h5" /state/iteration)
  n=$(( ${k:-0} + 20 ))
  out=$($MPIEXEC -n "$3" $PRE "$BIN" "$DECK" --fisher_rao.iterations=$n --output.prefix="$W/$1" --run.restart=auto \
        --run.quiet=false 2>&1) && grep -q "resumed at iteration $k of $n" <<<"$out" && [ -f "$W/$1_samples.h5" ] \
    && ok "SIG$2 checkpoint (iteration $k) resumes on $3 rank(s)" || bad "restart after SIG$2 failed: $out"
done

# a crash and a stop while sampling with run.checkpoint_every = 0 (a short training, a longer
# sampling): the checkpoint written after the last iteration holds the trained networks, and a
# restart samples without training and gives the uninterrupted run's samples bit for bit
S="--run.checkpoint_every=0 --fisher_rao.iterations=10 --fisher_rao.samples=60000 --fisher_rao.sample_batch=50"
check_sigkill_restart sampling_kill "$DECK" 1 "/samples/x /samples/log_q" "resumed at iteration 10 of 10" $S
check_signal_stop sampling TERM "$DECK" 1 $S
[ "$(h5_int_attr "$W/sampling_checkpoint.h5" /state/iteration)" = 10 ] && grep -q "while sampling" "$W/sampling.log" \
  && ok "checkpoint_every = 0, SIGTERM while sampling: the checkpoint holds the trained state (iteration 10)" \
  || bad "checkpoint_every = 0, SIGTERM while sampling: no checkpoint of iteration 10: $(tail -2 "$W/sampling.log")"
# shellcheck disable=SC2086
out=$("$BIN" "$DECK" $S --output.prefix="$W/sampling" --run.restart=auto --run.quiet=false 2>&1) \
  && grep -q "resumed at iteration 10 of 10" <<<"$out" && ! grep -q "^\[fisher_rao\] step" <<<"$out" \
  && ok "the stop while sampling resumes after training" || bad "stop while sampling / restart: $out"
same_h5 "SIGTERM while sampling + restart" "$W/sampling_kill_ref_samples.h5" "$W/sampling_samples.h5" /samples/x /samples/log_q

# 3. checkpoints that do not fit the deck (network width, interpolation, target) are one-line input errors
grep -Ev "^(dim|means|sigmas|weights) =" "$DECK" | sed 's/^name = gmm$/name = asym_gmm/' > "$W/asym.ini"
for case in "$DECK --network.width=8" "$DECK --fisher_rao.interpolation=learned" "$W/asym.ini"; do
  out=$("$BIN" $case --output.prefix="$W/other" --run.restart="$W/fr_ref_checkpoint.h5" 2>&1); rc=$?
  if [ $rc -eq 2 ] && grep -q "run.restart: the checkpoint's curve" <<<"$out"; then ok "mismatched checkpoint (${case//$W\//}): exit 2 naming run.restart"
  else bad "mismatched checkpoint (${case//$W\//}): rc=$rc $out"; fi
done

# 4. numerical failures (checkpoint every iteration): an Inf gradient and an Inf loss (absurd learning
#    rates, no clipping; the failing iteration depends on the seed), non-finite particles after
#    training (beta_max = 1e6: RK4 with b(t)·h >> 1 diverges whatever the networks); each keeps the
#    checkpoint of the iteration before the failure (the one after training for the particles)
nan_case() {  # nan_case NAME "MESSAGE REGEX with 'iteration K'" KEPT_OFFSET ARGS...: checkpoint K - KEPT_OFFSET
  local name=$1 msg=$2 off=$3; shift 3
  local p="$W/$name" out rc k kept
  out=$($MPIEXEC -n 2 $PRE "$BIN" "$DECK" --network.activation=silu --fisher_rao.clip_norm=0 --fisher_rao.batch=64 --fisher_rao.iterations=20 \
        --fisher_rao.collocation_times=11 --run.checkpoint_every=1 "$@" --output.prefix="$p" 2>&1); rc=$?
  k=$(grep -Eo "$msg" <<<"$out" | grep -Eo "iteration [0-9]+" | head -1 | cut -d' ' -f2)
  kept=$(h5_int_attr "${p}_checkpoint.h5" /state/iteration)
  if [ $rc -eq 3 ] && [ -n "$k" ] && [ ! -f "${p}_samples.h5" ] && [ ! -f "${p}_samples.h5.tmp" ] \
     && [ "$kept" = "$((k - off))" ]; then
    ok "$name: exit 3 ('$(grep -Eo "$msg" <<<"$out" | head -1)'), no samples file, the checkpoint of iteration $kept kept"
  else bad "$name: rc=$rc, checkpoint at iteration '$kept': $out"; fi
}
nan_case nan_grad "at iteration [0-9]+ of 20, network [a-z]+: Adam step [0-9]+: the gradient is not finite" 1 \
  --fisher_rao.interpolation=learned --fisher_rao.lr=1
nan_case nan_loss "loss is not finite at iteration [0-9]+ of 20" 1 --fisher_rao.interpolation=linear --fisher_rao.lr=5
nan_case nan_samples "sampling after iteration 20: [0-9]+ samples with non-finite x" 0 --fisher_rao.beta_max=1e6

e2e_finish
