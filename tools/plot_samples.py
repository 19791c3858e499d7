#!/usr/bin/python3
"""Scatter and marginal plots of a run's samples, optionally against reference samples.

    tools/plot_samples.py RUN_samples.h5 OUT.png [--reference REF_samples.h5] [--dims 0,1] [--max 20000]

The reference can be any boltzflow output, e.g. exact target samples from
`boltzflow DECK --run.method=mala --mcmc.init=exact --mcmc.warmup=0 --mcmc.steps=0`.
Points are coloured by the normalised importance weight where the run has log-weights.
"""
import argparse
import os
import sys

import h5py
import numpy as np

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(path, n_max):
    try:
        with h5py.File(path, "r") as f:
            x = np.asarray(f["samples/x"][:n_max])
            lw = np.asarray(f["samples/log_w"][:n_max]) if "samples/log_w" in f else None
            attr = lambda k: (lambda v: v.decode() if isinstance(v, bytes) else str(v))(f["meta"].attrs.get(k, "?"))
            title = f"{attr('method')} on {attr('target')} ({x.shape[0]} samples)"
    except (OSError, KeyError) as e:
        sys.exit(f"plot_samples: cannot read samples from '{path}': {e}")
    if lw is not None and not np.all(np.isfinite(lw)):
        lw = None
    return x, lw, title


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run")
    ap.add_argument("out")
    ap.add_argument("--reference")
    ap.add_argument("--dims", default="0,1")
    ap.add_argument("--max", type=int, default=20000)
    a = ap.parse_args()
    x, lw, title = load(a.run, a.max)
    ref = load(a.reference, a.max)[0] if a.reference else None
    d = x.shape[1]
    dims = [int(v) for v in a.dims.split(",")]
    if any(k < 0 or k >= d for k in dims):
        sys.exit(f"plot_samples: --dims {a.dims} outside 0..{d - 1}")
    n_marg = min(d, 4)
    fig, axes = plt.subplots(1, 1 + n_marg, figsize=(4 * (1 + n_marg), 4))
    ax = axes[0]
    if d >= 2:
        i, j = (dims + [1])[:2] if len(dims) == 1 else dims[:2]
        if ref is not None:
            ax.scatter(ref[:, i], ref[:, j], s=2, c="0.7", label="reference")
        c = None
        if lw is not None:
            w = np.exp(lw - lw.max())
            c = w / w.sum() * len(w)
        sc = ax.scatter(x[:, i], x[:, j], s=2, c=c if c is not None else "C0", cmap="viridis", label="samples")
        if c is not None:
            fig.colorbar(sc, ax=ax, label="N · normalised weight")
        ax.set_xlabel(f"x{i}")
        ax.set_ylabel(f"x{j}")
        ax.legend(loc="upper right", markerscale=4)
    ax.set_title(title)
    for k in range(n_marg):
        ax = axes[1 + k]
        lo, hi = np.percentile(np.concatenate([x[:, k], ref[:, k]]) if ref is not None else x[:, k], [0.5, 99.5])
        bins = np.linspace(lo, hi, 60)
        ax.hist(x[:, k], bins=bins, density=True, alpha=0.6, label="samples")
        if ref is not None:
            ax.hist(ref[:, k], bins=bins, density=True, histtype="step", color="k", label="reference")
        ax.set_xlabel(f"x{k}")
        ax.legend()
    fig.tight_layout()
    tmp = a.out + ".tmp.png"
    fig.savefig(tmp, dpi=90)
    os.replace(tmp, a.out)
    print(f"plot_samples: wrote {a.out}")


if __name__ == "__main__":
    main()
