#!/usr/bin/python3
"""A Markdown table of the /metrics attributes of several runs (one row per file).

    tools/metrics_table.py RUN_samples.h5 [...] [--keys energy_distance,ess,...]
"""
import argparse
import os
import sys

import h5py
import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+")
    ap.add_argument("--keys", default=None, help="comma-separated metric names (default: all)")
    a = ap.parse_args()
    rows = []
    for r in a.runs:
        try:
            with h5py.File(r, "r") as f:
                meta = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f["meta"].attrs.items()}
                m = {k: float(v) for k, v in f["metrics"].attrs.items() if np.ndim(v) == 0} if "metrics" in f else {}
        except (OSError, KeyError) as e:
            sys.exit(f"metrics_table: cannot read '{r}': {e}")
        rows.append((os.path.basename(r), meta, m))
    keys = a.keys.split(",") if a.keys else sorted({k for _, _, m in rows for k in m})
    print("| run | method | target | ranks | " + " | ".join(keys) + " |")
    print("|" + "---|" * (4 + len(keys)))
    for name, meta, m in rows:
        vals = [f"{m[k]:.4g}" if k in m else "" for k in keys]
        print(f"| {name} | {meta.get('method', '')} | {meta.get('target', '')} | {meta.get('mpi_ranks', '')} | "
              + " | ".join(vals) + " |")


if __name__ == "__main__":
    main()
