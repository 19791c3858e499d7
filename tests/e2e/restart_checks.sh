#!/usr/bin/env bash
# Checkpoint/restart and signals of the MCMC baselines, end to end:
#  1. SIGKILL at a random point after the first checkpoint, restart with run.restart=auto:
#     the final samples and diagnostics are identical to an uninterrupted run (same seed, 2 ranks);
#  2. SIGTERM (single process) and SIGUSR1 (forwarded by mpirun to 2 ranks): a checkpoint is
#     written and the process exits with status 4 within seconds; the checkpoint resumes.
# Usage: restart_checks.sh BOLTZFLOW MPIEXEC "PREFLAGS"
set -uo pipefail
BIN=$1 MPIEXEC=$2 PRE=$3
source "$(dirname "$0")/lib.sh"
e2e_init restart
DECK="$W/mala.ini"
{ deck_head mala 11 25 "-3, 0, 3, 0" "1, 1" "0.4, 0.6"; cat <<EOD
[mcmc]
chains = 400
warmup = 300
steps = 4000
EOD
deck_tail
} > "$DECK"

# 1. SIGKILL
check_sigkill_restart mala "$DECK" 2 "/samples/x /diagnostics/acceptance /diagnostics/step_size" "resumed at step [0-9]+"

# 2. signals: a run far longer than the test, so the signal always arrives mid-run
LONG=(--mcmc.steps=100000000 --mcmc.record_every=0)
for case in "term TERM 1" "usr1 USR1 2"; do
  set -- $case
  check_signal_stop "$1" "$2" "$DECK" "$3" "${LONG[@]}"
  # the checkpoint resumes (a shorter total: the run ends at the checkpointed step)
  out=$($MPIEXEC -n "$3" $PRE "$BIN" "$DECK" --output.prefix="$W/$1" --run.restart=auto --run.quiet=false --mcmc.record_every=0 2>&1) \
    && grep -q "resumed at step" <<<"$out" && [ -f "$W/$1_samples.h5" ] && ok "SIG$2 checkpoint resumes on $3 rank(s)" \
    || bad "restart after SIG$2 failed: $out"
done

# 3. a bad restart file is a one-line input error
out=$("$BIN" "$DECK" --output.prefix="$W/bad" --run.restart="$W/nope.h5" 2>&1); rc=$?
if [ $rc -eq 2 ] && grep -q "nope.h5" <<<"$out"; then ok "missing restart file: exit 2 naming it"; else bad "missing restart file: rc=$rc $out"; fi

e2e_finish
