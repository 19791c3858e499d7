#!/usr/bin/python3
"""Gather the /metrics of every sweep point into one table.

    tools/sweep_collect.py OUTDIR   ->  OUTDIR/metrics.csv and OUTDIR/metrics.h5

One row per point of OUTDIR/points.csv: the grid values, then every scalar attribute of
/metrics in point_NNNN_samples.h5 (missing outputs are listed and left out).
"""
import csv
import os
import sys

import h5py
import numpy as np


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    outdir = sys.argv[1]
    try:
        with open(os.path.join(outdir, "points.csv")) as f:
            points = list(csv.DictReader(f))
    except OSError as e:
        sys.exit(f"sweep_collect: cannot read '{os.path.join(outdir, 'points.csv')}': {e.strerror}")
    rows, missing = [], []
    for p in points:
        path = os.path.join(outdir, f"point_{int(p['index']):04d}_samples.h5")
        if not os.path.exists(path):
            missing.append(path)
            continue
        with h5py.File(path, "r") as h:
            m = {k: float(v) for k, v in h["metrics"].attrs.items() if np.ndim(v) == 0}
        rows.append({**p, **m})
    if not rows:
        sys.exit(f"sweep_collect: no outputs found in {outdir}")
    keys = list(points[0].keys())
    metric_keys = sorted({k for r in rows for k in r} - set(keys))
    cols = keys + metric_keys
    tmp = os.path.join(outdir, "metrics.csv.tmp")
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, restval="nan")
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, os.path.join(outdir, "metrics.csv"))
    tmp = os.path.join(outdir, "metrics.h5.tmp")
    with h5py.File(tmp, "w") as h:
        for k in keys:
            h[f"points/{k}"] = np.array([r[k] for r in rows], dtype="S")
        for k in metric_keys:
            h[f"metrics/{k}"] = np.array([r.get(k, np.nan) for r in rows], dtype=float)
    os.replace(tmp, os.path.join(outdir, "metrics.h5"))
    print(f"sweep_collect: {len(rows)} points -> {outdir}/metrics.csv, metrics.h5")
    for m in missing:
        print(f"sweep_collect: missing output {m}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
