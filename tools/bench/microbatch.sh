#!/usr/bin/env bash
# Training-iteration time of one Annealing Flow block (ManyWell-D, exact divergence, 1 rank,
# 1 thread) at two local batch sizes, unsplit (run.memory_budget large) side by side with
# micro-batched (run.memory_budget = BUDGET MiB): is the cost per particle constant in the batch?
# Prints a Markdown table. Environment: BIN (build/src/boltzflow), D (32), WIDTH (64), DEPTH (3),
# ITERS (10), BUDGET (8), OUT (build-bench/microbatch).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$root/build/src/boltzflow}
D=${D:-32} WIDTH=${WIDTH:-64} DEPTH=${DEPTH:-3} ITERS=${ITERS:-10} BUDGET=${BUDGET:-8}
OUT=${OUT:-$root/build-bench/microbatch}
mkdir -p "$OUT"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
. "$root/tools/bench/lib.sh"
af_bench_deck "$OUT/microbatch.ini" "$D" "$WIDTH" "$DEPTH" "$ITERS"
run() {  # run NAME BATCH BUDGET_MIB -> "seconds_per_iteration rows_per_solve"
  "$BIN" "$OUT/microbatch.ini" --annealing_flow.batch="$2" --annealing_flow.particles="$2" --annealing_flow.samples=100 --run.memory_budget="$3" \
    --output.prefix="$OUT/$1" > "$OUT/$1.log" 2>&1
  /usr/bin/python3 - "$OUT/$1_samples.h5" <<'PY'
import sys, h5py
m = h5py.File(sys.argv[1], "r")["metrics"].attrs
print(m["train_cpu_seconds_per_iteration"], int(m["micro_batch_train"]))
PY
}
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ManyWell-$D, width $WIDTH depth $DEPTH, exact divergence, $ITERS iterations, 1 rank; CPU s per iteration"
echo
echo "| local batch | unsplit: s/iter (rows/solve) | budget $BUDGET MiB: s/iter (rows/solve) | unsplit / micro-batched |"
echo "|---|---|---|---|"
for B in 512 1024 2048; do
  read -r t0 r0 <<<"$(run whole$B "$B" 65536)"
  read -r t1 r1 <<<"$(run split$B "$B" "$BUDGET")"
  /usr/bin/python3 -c "print(f'| $B | {$t0:.3f} ($r0) | {$t1:.3f} ($r1) | {$t0 / $t1:.2f} |')"
done
