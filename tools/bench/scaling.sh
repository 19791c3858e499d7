#!/usr/bin/env bash
# Strong and weak scaling of an Annealing Flow training iteration and of sampling at 1 and 2
# MPI ranks (1 thread each), plus the gradient allreduce alone (bench_allreduce) at the
# network's parameter count. Prints a Markdown table (README "Scaling"). Environment:
#   BIN (build/src/boltzflow), BENCH_DIR (build-bench/tools/bench, built if missing),
#   D (32, ManyWell-D), WIDTH (64), DEPTH (3), BATCH (4096: global batch of the strong case,
#   per-rank batch of the weak case is BATCH/2), SAMPLES (20000), ITERS (20), OUT (build-bench/scaling)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$root/build/src/boltzflow}
BENCH_DIR=${BENCH_DIR:-$root/build-bench/tools/bench}
D=${D:-32} WIDTH=${WIDTH:-64} DEPTH=${DEPTH:-3} BATCH=${BATCH:-4096} SAMPLES=${SAMPLES:-20000} ITERS=${ITERS:-20}
OUT=${OUT:-$root/build-bench/scaling}
PY=/usr/bin/python3
MPI=(mpirun --allow-run-as-root --oversubscribe --bind-to core)
mkdir -p "$OUT"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
if [ ! -x "$BENCH_DIR/bench_allreduce" ]; then
  cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release -DBOLTZFLOW_ENABLE_BENCH=ON -DBOLTZFLOW_ENABLE_TESTS=OFF >/dev/null
  cmake --build "$root/build-bench" --target bench_allreduce -j2 >/dev/null
fi

# One AF block, no annealing, a fixed number of iterations: particles = batch (one minibatch).
. "$root/tools/bench/lib.sh"
af_bench_deck "$OUT/scaling.ini" "$D" "$WIDTH" "$DEPTH" "$ITERS"
run() {  # run NAME RANKS BATCH SAMPLES
  "${MPI[@]}" -n "$2" "$BIN" "$OUT/scaling.ini" --annealing_flow.batch="$3" --annealing_flow.particles="$3" \
    --annealing_flow.samples="$4" --output.prefix="$OUT/$1" > "$OUT/$1.log" 2>&1
  $PY - "$OUT/$1_samples.h5" <<'PY'
import sys, h5py
m = h5py.File(sys.argv[1], "r")["metrics"].attrs
print(m["train_seconds_per_iteration"], m["sample_seconds"], int(m["params_per_block"]))
PY
}
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/table.md"
echo "ManyWell-$D, velocity MLP width $WIDTH depth $DEPTH, $ITERS Adam iterations, exact divergence; 1 thread per rank" | tee -a "$OUT/table.md"
read -r s1_it s1_samp P <<<"$(run strong1 1 "$BATCH" "$SAMPLES")"
read -r s2_it s2_samp _ <<<"$(run strong2 2 "$BATCH" "$SAMPLES")"
read -r w1_it w1_samp _ <<<"$(run weak1 1 $((BATCH / 2)) $((SAMPLES / 2)))"
read -r w2_it w2_samp _ <<<"$(run weak2 2 "$BATCH" "$SAMPLES")"
ar=$("${MPI[@]}" -n 2 "$BENCH_DIR/bench_allreduce" "$P" --reps 500 | sed -n 's/.*median_s=\([^ ]*\).*/\1/p')
$PY - "$s1_it" "$s2_it" "$w1_it" "$w2_it" "$s1_samp" "$s2_samp" "$w1_samp" "$w2_samp" "$P" "$ar" "$BATCH" "$SAMPLES" <<'PY' | tee -a "$OUT/table.md"
import sys
s1, s2, w1, w2, a1, a2, b1, b2 = map(float, sys.argv[1:9])
P, ar, B, S = int(sys.argv[9]), float(sys.argv[10]), int(sys.argv[11]), int(sys.argv[12])
print(f"\n| quantity | 1 rank | 2 ranks | parallel efficiency |\n|---|---|---|---|")
print(f"| strong: training iteration, global batch {B} | {s1*1e3:.1f} ms | {s2*1e3:.1f} ms | {100*s1/(2*s2):.0f} % |")
print(f"| weak: training iteration, batch {B//2} per rank | {w1*1e3:.1f} ms | {w2*1e3:.1f} ms | {100*w1/w2:.0f} % |")
print(f"| strong: sampling {S} particles | {a1:.2f} s | {a2:.2f} s | {100*a1/(2*a2):.0f} % |")
print(f"| weak: sampling {S//2} particles per rank | {b1:.2f} s | {b2:.2f} s | {100*b1/b2:.0f} % |")
print(f"\ngradient allreduce at 2 ranks: {P} parameters = {8*P} bytes, median {ar*1e6:.1f} us per step "
      f"= {100*ar/s2:.3f} % of a strong-scaling iteration at 2 ranks")
PY
