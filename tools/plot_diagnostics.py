#!/usr/bin/python3
"""Plot every per-step series in /diagnostics (losses, acceptance, step size, ...) of one or more runs.

    tools/plot_diagnostics.py OUT.png RUN_samples.h5 [RUN2_samples.h5 ...]
"""
import os
import sys

import h5py
import numpy as np

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, runs = sys.argv[1], sys.argv[2:]
    series = {}
    for r in runs:
        try:
            with h5py.File(r, "r") as f:
                if "diagnostics" not in f:
                    continue
                for name, ds in f["diagnostics"].items():
                    if isinstance(ds, h5py.Dataset) and ds.ndim == 1 and ds.size > 1:
                        series.setdefault(name, []).append((os.path.basename(r), np.asarray(ds)))
        except OSError as e:
            sys.exit(f"plot_diagnostics: cannot read '{r}': {e}")
    if not series:
        sys.exit("plot_diagnostics: no /diagnostics series in the given files")
    names = sorted(series)
    fig, axes = plt.subplots(len(names), 1, figsize=(7, 2.6 * len(names)), squeeze=False)
    for ax, name in zip(axes[:, 0], names):
        for label, v in series[name]:
            ax.plot(v, label=label, lw=1)
        if name.startswith("loss") and all(np.all(v > 0) for _, v in series[name]):
            ax.set_yscale("log")
        ax.set_ylabel(name)
        ax.legend(fontsize=7)
    axes[-1, 0].set_xlabel("step")
    fig.tight_layout()
    tmp = out + ".tmp.png"
    fig.savefig(tmp, dpi=90)
    os.replace(tmp, out)
    print(f"plot_diagnostics: wrote {out} ({', '.join(names)})")


if __name__ == "__main__":
    main()
