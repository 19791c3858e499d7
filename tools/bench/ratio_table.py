#!/usr/bin/env python3
"""Ratio table (markdown) from the RESULT lines of bench_nn and bench_torch.py logs.

Rates are per particle, so rows run with different batch caps still compare;
speedup = boltzflow particles/s / torch particles/s (same clock, same thread count).
Usage: ratio_table.py LOG...   (bench_nn and bench_torch.py output; with repeated runs the
fastest row of each implementation is kept, i.e. the minimum time over all repetitions)
"""
import math
import sys


def main(paths):
    rows, ref = {}, math.nan
    for path in paths:
        for line in open(path):
            if not line.startswith("RESULT "):
                continue
            kv = dict(f.split("=", 1) for f in line.split()[1:])
            if kv["kind"] == "gemm":
                ref = float(kv["gflops"])
                continue
            key = (kv["kind"], int(kv["d"]), int(kv["width"]), int(kv["depth"]))
            seen = rows.setdefault(key, {})
            # Several logs (repeated runs): keep each implementation's fastest row.
            if kv["impl"] not in seen or float(kv["particles_per_s"]) > float(seen[kv["impl"]]["particles_per_s"]):
                seen[kv["impl"]] = kv
    print(f"reference DGEMM (KokkosBlas::gemm -> BLAS, 33792x256x256), last measured: {ref:.2f} GFLOP/s "
          "(% of DGEMM uses the value measured in the same run as the row)\n")
    print("| step | (d, width, depth) | batch bf / torch | boltzflow particles/s | GEMM MFLOP/particle bf / torch-loop "
          "| bf GFLOP/s | bf % of DGEMM | bf step/GEMM | torch loop particles/s | torch vmap particles/s "
          "| torch step/GEMM loop / vmap | speedup vs loop | speedup vs vmap |")
    print("|" + "---|" * 13)
    torch_impls = ("torch-loop", "torch-vmap")
    for (kind, d, w, L), r in sorted(rows.items(), key=lambda i: (i[0][0] != "v+div", i[0][1])):
        bf = r.get("boltzflow")
        if bf is None:
            continue
        rate = float(bf["particles_per_s"])

        def get(impl, key, fmt):
            return fmt.format(float(r[impl][key])) if impl in r else "n/a"

        def speed(impl):
            return f"{rate / float(r[impl]['particles_per_s']):.2f}x" if impl in r else "n/a"

        def mflop_per_particle(impl):
            if impl not in r:
                return "n/a"
            return f"{1e3 * float(r[impl]['gflop_per_step']) / int(r[impl]['batch']):.3g}"

        tb = "/".join(r[i]["batch"] for i in torch_impls if i in r) or "n/a"
        print(f"| {kind} | ({d}, {w}, {L}) | {bf['batch']} / {tb} | {rate:.4g} | "
              f"{mflop_per_particle('boltzflow')} / {mflop_per_particle('torch-loop')} | "
              f"{float(bf['gflops']):.2f} | {100 * float(bf['gflops']) / float(bf.get('ref_dgemm_gflops', ref)):.0f}% | "
              f"{float(bf['step_over_gemm']):.2f} | {get('torch-loop', 'particles_per_s', '{:.4g}')} | "
              f"{get('torch-vmap', 'particles_per_s', '{:.4g}')} | {get('torch-loop', 'step_over_gemm', '{:.2f}')} / "
              f"{get('torch-vmap', 'step_over_gemm', '{:.2f}')} | {speed('torch-loop')} | {speed('torch-vmap')} |")

if __name__ == "__main__":
    main(sys.argv[1:])
