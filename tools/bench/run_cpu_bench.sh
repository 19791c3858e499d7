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

if [ -z "${SKIP_BUILD:-}" ]; then
  cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release -DBOLTZFLOW_ENABLE_BENCH=ON \
    -DBOLTZFLOW_ENABLE_TESTS=OFF ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER} >/dev/null
  cmake --build "$root/build-bench" -j"$(nproc)" --target bench_nn >/dev/null
fi
bench="$root/build-bench/tools/bench/bench_nn"

export OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS OMP_PROC_BIND=false
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "threads: $THREADS, clock: $CLOCK, reps: $REPS (minimum kept), batch caps: boltzflow $MAX_BATCH, torch $TORCH_MAX_BATCH"
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

# Ratio table from the RESULT lines. Rates are per particle, so rows with different batch
# caps compare; speedup = boltzflow particles/s / torch particles/s.
python3 - "$OUT/boltzflow.log" "$OUT/torch.log" <<'EOF' | tee "$OUT/table.md"
import sys
rows, ref = {}, None
for path in sys.argv[1:]:
    for line in open(path):
        if not line.startswith("RESULT "):
            continue
        kv = dict(f.split("=", 1) for f in line.split()[1:])
        if kv["kind"] == "gemm":
            ref = float(kv["gflops"])
            continue
        rows.setdefault((kv["kind"], int(kv["d"]), int(kv["width"]), int(kv["depth"])), {})[kv["impl"]] = kv
print(f"reference DGEMM (KokkosBlas::gemm, 33792x256x256): {ref:.2f} GFLOP/s\n")
print("| step | (d, width, depth) | batch bf/torch | boltzflow particles/s | GFLOP/s | % DGEMM | step/GEMM "
      "| torch loop particles/s | torch vmap particles/s | torch step/GEMM (best) | speedup vs loop | speedup vs vmap |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for (kind, d, w, L), r in sorted(rows.items(), key=lambda i: (i[0][0] != "v+div", i[0][1])):
    bf = r.get("boltzflow")
    if bf is None:
        continue
    rate = float(bf["particles_per_s"])
    def cell(impl, key="particles_per_s", fmt="{:.4g}"):
        return fmt.format(float(r[impl][key])) if impl in r else "n/a"
    def speed(impl):
        return f"{rate / float(r[impl]['particles_per_s']):.2f}x" if impl in r else "n/a"
    tb = "/".join(r[i]["batch"] for i in ("torch-loop", "torch-vmap") if i in r)
    tsg = min((float(r[i]["step_over_gemm"]) for i in ("torch-loop", "torch-vmap") if i in r), default=float("nan"))
    print(f"| {kind} | ({d}, {w}, {L}) | {bf['batch']}/{tb or 'n/a'} | {rate:.4g} | {float(bf['gflops']):.2f} | "
          f"{100 * float(bf['gflops']) / ref:.0f}% | {float(bf['step_over_gemm']):.2f} | {cell('torch-loop')} | "
          f"{cell('torch-vmap')} | {tsg:.2f} | {speed('torch-loop')} | {speed('torch-vmap')} |")
EOF
