#!/usr/bin/python3
"""Per-coordinate mean and standard deviation of two boltzflow sample files, side by side.

usage: tools/posterior_compare.py REFERENCE.h5 OTHER.h5 [--weighted] [--dataset PATH] [--labels a,b,...]

Reads PATH (default /samples/x) of both files; REFERENCE is typically a long MCMC run, OTHER the
sampler under test. --weighted: a file with finite /samples/log_w (a flow's exact density) is
also summarised with its self-normalised importance weights w ∝ exp(log_w) (Kish effective sample
size for the standard errors); MCMC files carry NaN there and stay unweighted.

Per coordinate: both means and standard deviations, z = (mean_o − mean_r) / sqrt(se_r² + se_o²)
with se = std / sqrt(n_eff), and the standard-deviation ratio std_o / std_r. Summary: max |z|,
mean |Δmean| / std_r, max |log(std_o / std_r)|. Labels default to x_0, ...; for the logistic
target w_0 .. w_{F-1}, intercept, theta (targets.md §9 order).
"""
import argparse
import math

import h5py
import numpy as np

from af_table import weights  # self-normalised weights from log_w (zero where not finite)


def load(path, dataset, weighted):
    """(x, w, n_eff, description): w are normalised weights (uniform unless weighted and finite)."""
    with h5py.File(path, "r") as f:
        x = np.asarray(f[dataset][...], dtype=float)
        meta = f["meta"].attrs if "meta" in f else {}
        desc = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in meta.items()}
        log_w = np.asarray(f["samples/log_w"][...], dtype=float) if "samples/log_w" in f else None
    w = np.full(x.shape[0], 1.0 / x.shape[0])
    label = "unweighted"
    if weighted and log_w is not None and log_w.shape[0] == x.shape[0] and np.isfinite(log_w).any():
        w = weights(log_w)
        label = "IS-weighted"
    n_eff = 1.0 / np.sum(w * w)
    return x, w, n_eff, f"{desc.get('method', '?')} on {desc.get('target', '?')}, N = {x.shape[0]}, {label}, n_eff = {n_eff:.0f}"


def moments(x, w):
    mean = w @ x
    var = w @ (x - mean) ** 2
    return mean, np.sqrt(var)


def default_labels(d, target):
    if target == "logistic":
        return [f"w_{j}" for j in range(d - 2)] + ["intercept", "theta"]
    return [f"x_{j}" for j in range(d)]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("reference")
    p.add_argument("other")
    p.add_argument("--weighted", action="store_true", help="use finite /samples/log_w as importance weights")
    p.add_argument("--dataset", default="/samples/x", help="(N, d) dataset of samples in both files")
    p.add_argument("--labels", default="", help="comma-separated coordinate names")
    a = p.parse_args()

    xr, wr, nr, dr = load(a.reference, a.dataset, a.weighted)
    xo, wo, no, do = load(a.other, a.dataset, a.weighted)
    if xr.shape[1] != xo.shape[1]:
        raise SystemExit(f"dimension mismatch: {xr.shape[1]} vs {xo.shape[1]}")
    d = xr.shape[1]
    with h5py.File(a.reference, "r") as f:
        target = f["meta"].attrs.get("target", b"") if "meta" in f else b""
    target = target.decode() if isinstance(target, bytes) else target
    labels = a.labels.split(",") if a.labels else default_labels(d, target)
    if len(labels) != d:
        raise SystemExit(f"--labels has {len(labels)} names for d = {d}")

    mr, sr = moments(xr, wr)
    mo, so = moments(xo, wo)
    se = np.sqrt(sr ** 2 / nr + so ** 2 / no)
    z = (mo - mr) / np.where(se > 0, se, np.nan)
    ratio = so / np.where(sr > 0, sr, np.nan)

    print(f"reference: {a.reference} ({dr})")
    print(f"other:     {a.other} ({do})")
    print()
    print("| coordinate | mean (ref) | mean (other) | z | std (ref) | std (other) | std ratio |")
    print("|---|---|---|---|---|---|---|")
    for j in range(d):
        print(f"| {labels[j]} | {mr[j]:.4g} | {mo[j]:.4g} | {z[j]:+.2f} | {sr[j]:.4g} | {so[j]:.4g} | {ratio[j]:.3f} |")
    print()
    rel = np.abs(mo - mr) / np.where(sr > 0, sr, np.nan)
    log_ratio = np.abs(np.log(ratio))
    print(f"max |z| = {np.nanmax(np.abs(z)):.2f} ({labels[int(np.nanargmax(np.abs(z)))]}); "
          f"mean |Δmean|/std_ref = {np.nanmean(rel):.3f} (max {np.nanmax(rel):.3f}); "
          f"std ratio in [{np.nanmin(ratio):.3f}, {np.nanmax(ratio):.3f}], "
          f"max |log ratio| = {np.nanmax(log_ratio):.3f}; coordinates with |z| > 3: "
          f"{int(np.sum(np.abs(z) > 3))}/{d}")
    if not math.isfinite(float(np.nanmax(np.abs(z)))):
        raise SystemExit("non-finite comparison (zero variance?)")


if __name__ == "__main__":
    main()
