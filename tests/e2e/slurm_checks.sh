#!/usr/bin/env bash
# The job scripts on a REAL single-node SLURM (tools/slurm/local-slurm.sh): jobs/cpu.sbatch on
# 2 ranks, and a 2-point sweep as a job array, then the collector.
# Usage: slurm_checks.sh BOLTZFLOW SOURCE_DIR
set -uo pipefail
BIN=$(realpath "$1") SRC=$(realpath "$2")
W=$(realpath "$(mktemp -d ./slurm.XXXXXX)")
fails=0 passes=0
source "$(dirname "$0")/lib.sh"  # ok, bad
env_out=$(bash "$SRC/tools/slurm/local-slurm.sh" start "$W/slurm") || { echo "FAIL: could not start SLURM"; echo "0 passed, 1 failed"; exit 1; }
eval "$env_out"
trap 'bash "$SRC/tools/slurm/local-slurm.sh" stop "$W/slurm"' EXIT
export BOLTZFLOW_BIN=$BIN BOLTZFLOW_ROOT=$SRC BOLTZFLOW_RUNS=$W/runs OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# wait_job ID: until it leaves the queue (2 min at most); prints its final state
wait_job() {
  for _ in $(seq 240); do
    st=$(scontrol show job "$1" 2>/dev/null | grep -o "JobState=[A-Z_]*" | cut -d= -f2)
    case "$st" in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY) echo "$st"; return;; esac
    sleep 1
  done
  echo "STILL_${st:-UNKNOWN}"
}
DECK="$W/small.ini"
cat > "$DECK" <<EOD
[run]
method = mala
seed = 3
quiet = false
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
cd "$W"
# 1. the CPU job script, 2 ranks x 1 thread
id=$(sbatch --parsable --chdir="$W" -n 2 --ntasks-per-node=2 -c 1 --time=00:05:00 \
       --output="$W/cpu-%j.out" "$SRC/jobs/cpu.sbatch" "$DECK" 2>&1) || { bad "sbatch cpu.sbatch: $id"; id=; }
if [ -n "$id" ]; then
  st=$(wait_job "$id")
  f=$(ls "$W"/runs/"$id"/run_samples.h5 2>/dev/null)
  if [ "$st" = COMPLETED ] && [ -n "$f" ] && h5dump -a /meta/mpi_ranks "$f" | grep -q "(0): 2"; then
    ok "cpu.sbatch job $id completed on 2 ranks, wrote a valid $f"
  else
    bad "cpu.sbatch job $id: state $st, output '${f:-none}'"; cat "$W"/cpu-*.out
  fi
fi
# 2. pre-emption: USR1 to the running job (what --signal=USR1@120 sends) -> checkpoint, exit 4,
#    the script requeues itself and the same job id resumes from its checkpoint. The run is far
#    longer than the test (so the signal always lands mid-run); it is cancelled once resumed.
id=$(sbatch --parsable --chdir="$W" -n 2 --ntasks-per-node=2 -c 1 --time=00:05:00 --output="$W/req-%j.out" \
       "$SRC/jobs/cpu.sbatch" "$DECK" --mcmc.steps=100000000 --mcmc.record_every=0 --mcmc.chains=200 \
       --run.checkpoint_every=20 2>&1) || { bad "sbatch: $id"; id=; }
if [ -n "$id" ]; then
  for _ in $(seq 120); do [ -f "$W/runs/$id/run_checkpoint.h5" ] && break; sleep 0.5; done
  scancel -s USR1 "$id" || bad "scancel -s USR1 $id failed"
  # Slurm delays a requeued job by ~2 minutes: wait for the requeue, then make it eligible now.
  for _ in $(seq 120); do
    scontrol show job "$id" | grep -q "JobState=PENDING.*Reason=BeginTime" && break; sleep 0.5
  done
  scontrol update jobid="$id" StartTime=now
  for _ in $(seq 120); do grep -q "resumed at step" "$W/req-$id.out" 2>/dev/null && break; sleep 0.5; done
  restarts=$(scontrol show job "$id" | grep -o "Restarts=[0-9]*" | cut -d= -f2)
  if [ "${restarts:-0}" -ge 1 ] && grep -q "requeueing" "$W/req-$id.out" && grep -q "resumed at step" "$W/req-$id.out"; then
    ok "USR1 pre-emption: job $id checkpointed, requeued ($restarts) and resumed from its checkpoint"
  else
    bad "USR1 pre-emption: job $id restarts ${restarts:-?}"; grep -v " = " "$W/req-$id.out" | tail -20
  fi
  scancel "$id"
fi
# 3. a sweep as a job array + the collector
if /usr/bin/python3 "$SRC/tools/sweep.py" "$DECK" "$W/sweep" run.seed=1,2 > "$W/sweep.log" 2>&1; then
  sed -i 's/^#SBATCH --ntasks-per-node=.*/#SBATCH --ntasks-per-node=1/; s/^#SBATCH --cpus-per-task=.*/#SBATCH --cpus-per-task=1/' "$W/sweep/array.sbatch"
  id=$(sbatch --parsable --time=00:05:00 "$W/sweep/array.sbatch" 2>&1) || bad "sbatch array: $id"
  for t in 0 1; do st=$(wait_job "${id}_$t"); [ "$st" = COMPLETED ] || bad "array task $t: $st"; done
  if /usr/bin/python3 "$SRC/tools/sweep_collect.py" "$W/sweep" && [ "$(wc -l < "$W/sweep/metrics.csv")" -eq 3 ] \
     && grep -q "^1,2," "$W/sweep/metrics.csv"; then
    ok "sweep: 2 array tasks, metrics.csv with 2 rows"
  else
    bad "sweep collector: $(cat "$W/sweep/metrics.csv" 2>/dev/null)"; cat "$W"/sweep/*.out
  fi
else
  bad "sweep.py: $(cat "$W/sweep.log")"
fi
echo "$passes passed, $fails failed"
bash "$SRC/tools/slurm/local-slurm.sh" stop "$W/slurm"
trap - EXIT
[ "$fails" -eq 0 ] && rm -rf "$W"
[ "$fails" -eq 0 ]
