#!/usr/bin/env bash
# CPU benchmark, boltzflow jet MLP vs PyTorch autograd, side by side (tools/bench/README.md).
# Builds bench_nn (Release, build-bench/), runs it and bench_torch.py with the same thread
# count and batch caps, and prints one ratio table. Environment:
#   THREADS      BLAS/torch threads (default 1; Kokkos is whatever Kokkos was built with)
#   REPS         repetitions per row, the minimum is kept (default 5)
#   CLOCK        cpu (process CPU time, default: robust on a shared machine for 1 thread) or wall
#   MAX_BATCH    batch cap for the width-256 cases (default 1024; case 0 runs at 4096)
#   TORCH_MAX_BATCH  batch cap for torch's width-256 cases (default MAX_BATCH)
#   OUT          folder for the raw logs (default build-bench/results)
#   PYTHON       interpreter with torch (default /usr/bin/python3, Debian python3-torch)
#   SKIP_BUILD   set: use the existing build-bench/tools/bench/bench_nn
#   BENCH        a bench_nn built elsewhere (e.g. build-openmp/tools/bench/bench_nn, on an OpenMP
#                Kokkos: then THREADS also sets the Kokkos threads); implies SKIP_BUILD
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
THREADS=${THREADS:-1}
REPS=${REPS:-5}
CLOCK=${CLOCK:-cpu}
MAX_BATCH=${MAX_BATCH:-1024}
TORCH_MAX_BATCH=${TORCH_MAX_BATCH:-$MAX_BATCH}
OUT=${OUT:-$root/build-bench/results}
PYTHON=${PYTHON:-/usr/bin/python3}  # Debian python3-torch lives in the system interpreter
mkdir -p "$OUT"

if [ -z "${SKIP_BUILD:-}" ] && [ -z "${BENCH:-}" ]; then
  cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release -DBOLTZFLOW_ENABLE_BENCH=ON \
    -DBOLTZFLOW_ENABLE_TESTS=OFF ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER} >/dev/null
  cmake --build "$root/build-bench" -j"$(nproc)" --target bench_nn >/dev/null
fi
bench=${BENCH:-$root/build-bench/tools/bench/bench_nn}

export OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS OMP_PROC_BIND=false
# Both programs mix OpenMP threads (Kokkos OpenMP; torch's intra-op pool) with OpenBLAS's own
# pthreads; libgomp's default spinning workers then compete with them for the cores (measured on
# 2 threads: 41 vs 24 ms per boltzflow f+g+lap step at (2, 64, 3)). Passive waiting for both.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc: $(nproc --all); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') (family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' '), model $(grep -m1 '^model\s' /proc/cpuinfo | cut -d: -f2 | tr -d ' '))"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "threads: $THREADS, clock: $CLOCK, reps: $REPS (minimum kept), batch caps: boltzflow $MAX_BATCH, torch $TORCH_MAX_BATCH, OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
  echo "libblas.so.3 -> $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)"
  echo "bench_nn links: $(ldd "$bench" | grep -Eo 'lib(open)?blas[^ ]*' | sort -u | tr '\n' ' ')"
} | tee "$OUT/machine.txt"

# Case 0 at its full batch; the width-256 cases capped (CPU time and memory).
: >"$OUT/boltzflow.log"
"$bench" --clock "$CLOCK" --reps "$REPS" --case 0 | tee -a "$OUT/boltzflow.log"
"$bench" --clock "$CLOCK" --reps "$REPS" --case 1 --case 2 --max-batch "$MAX_BATCH" | tee -a "$OUT/boltzflow.log"
: >"$OUT/torch.log"
"$PYTHON" "$here/bench_torch.py" --clock "$CLOCK" --reps "$REPS" --threads "$THREADS" --case 0 | tee -a "$OUT/torch.log"
"$PYTHON" "$here/bench_torch.py" --clock "$CLOCK" --reps "$REPS" --threads "$THREADS" --case 1 --case 2 --max-batch "$TORCH_MAX_BATCH" |
  tee -a "$OUT/torch.log"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

# Ratio table from the RESULT lines (per-particle rates, so different batch caps compare).
"$PYTHON" "$here/ratio_table.py" "$OUT/boltzflow.log" "$OUT/torch.log" | tee "$OUT/table.md"
