#!/usr/bin/python3
"""Markdown results table of Annealing Flow runs, regenerated from their HDF5 outputs.

usage: tools/af_table.py [FILE_samples.h5 ...]     (default: runs/annealing_flow_*_samples.h5)

One row per annealing_flow run (files of other methods are skipped): target and dimension,
samples N, blocks x iterations (batch), learning rate and training particles (from
/config/resolved), training divergence, ranks, timings (training wall time, wall and CPU time per
iteration, total wall time), mode metrics of the raw flow samples and of the self-normalised
importance weights, distances to exact samples, reverse ESS, log Z (IS estimate and ELBO)
against the truth, and the target-specific numbers of metrics.md (ExpGauss modes found /
variance MSE, ManyWell per-coordinate mode fraction, truncated-normal inside fractions, funnel
variance of x_0 against sigma^2, logistic-regression test accuracy and log predictive).
"""
import glob
import math
import sys

import h5py
import numpy as np

from fmcmc_table import resolved as resolved_keys  # /config/resolved as a dict


def attr(group, name, default=float("nan")):
    if group is None or name not in group.attrs:
        return default
    v = group.attrs[name]
    return v.decode() if isinstance(v, bytes) else v


def fmt(v, spec=".4g"):
    if isinstance(v, str):
        return v
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return format(v, spec)


def weights(log_w):
    lw = np.asarray(log_w, dtype=float)
    finite = np.isfinite(lw)
    if not finite.any():
        return np.zeros_like(lw)
    w = np.where(finite, np.exp(lw - lw[finite].max()), 0.0)
    return w / w.sum()


def resolved(f, key, default="?"):
    """Value of `key` (section.name) in the run's resolved deck /config/resolved (overrides included)."""
    return resolved_keys(f).get(key, default)


def target_specific(f, name, x, log_w):
    """metrics.md §5 extras, as 'key=value' strings."""
    out = []
    w = weights(log_w)
    m = f.get("metrics")
    if name.startswith("expgauss"):
        c = 10.0
        bits = (x[:, :50] > 7).astype(np.int64)
        codes = bits[:, :10] @ (1 << np.arange(10))
        out.append(f"modes found (AF rule) {len(np.unique(codes))}/1024")
        strict = np.all(np.abs(np.abs(x[:, :10]) - c) < 3, axis=1)
        signs = (x[strict, :10] > 0).astype(np.int64) @ (1 << np.arange(10))
        out.append(f"strict {len(np.unique(signs))}")
        true_var = np.ones(x.shape[1])
        if name == "expgauss_unequal":
            true_var[0:5] = 0.5
            true_var[10:15] = 0.5
        v = np.concatenate([np.var(np.abs(x[:, :10]), axis=0), np.var(x[:, 10:], axis=0)])
        out.append(f"variance MSE {np.mean((v - true_var) ** 2):.3g}")
    elif name == "manywell":
        frac = np.mean(x[:, 0::2] > 0)
        frac_is = float(np.sum(w[:, None] * (x[:, 0::2] > 0)) / (x.shape[1] // 2))
        out.append(f"P(x_2i>0) {frac:.4f} (IS {frac_is:.4f}; exact 0.8443)")
    elif name == "truncated_normal":
        r = np.linalg.norm(x, axis=1)
        c = 6.0  # the shipped deck's radius (targets.md §5)
        out.append(f"|x|<={c:g}: {np.mean(r <= c):.4f}, |x|<={c + 2:g}: {np.mean(r <= c + 2):.4f}")
    elif name == "funnel":
        sigma = float(resolved(f, "target.funnel_sigma", "nan"))
        v_is = float(np.sum(w * (x[:, 0] - np.sum(w * x[:, 0])) ** 2))
        out.append(f"var(x_0) {np.var(x[:, 0]):.3f} (IS {v_is:.3f}; exact {sigma ** 2:.4g})")
    elif name == "logistic":
        out.append(f"test accuracy {fmt(attr(m, 'test_accuracy'), '.4f')}, "
                   f"log predictive {fmt(attr(m, 'log_predictive'), '.4f')}")
    return "; ".join(out)


def row(path):
    with h5py.File(path, "r") as f:
        meta, m, af = f["meta"], f.get("metrics"), f.get("annealing_flow")
        name = attr(meta, "target", "?")
        x = f["samples/x"][...]
        log_w = f["samples/log_w"][...]
        blocks = f["annealing_flow/beta"].shape[0] if af is not None else 0
        # Timings also from /diagnostics (present when metrics were switched off).
        diag = f.get("diagnostics")
        iters = diag["loss"].shape[0] if diag is not None and "loss" in diag else 0
        train_s = attr(m, "train_seconds")
        wall_it = attr(m, "train_seconds_per_iteration")
        cpu_it = attr(m, "train_cpu_seconds_per_iteration")
        if diag is not None and iters > 0 and math.isnan(cpu_it) and "block_cpu_seconds" in diag:
            train_s = float(np.sum(diag["block_seconds"][...]))
            wall_it = train_s / iters
            cpu_it = float(np.sum(diag["block_cpu_seconds"][...])) / iters
        cells = [
            path.split("/")[-1].replace("_samples.h5", ""),
            f"{name} ({attr(meta, 'dim', x.shape[1])})",
            str(x.shape[0]),
            f"{blocks} x {attr(af, 'iterations', '?')} ({attr(af, 'batch', '?')})",
            f"{resolved(f, 'annealing_flow.lr')} / {resolved(f, 'annealing_flow.particles')}",
            str(attr(af, "training_divergence", "?")),
            str(attr(meta, "mpi_ranks", "?")),
            fmt(train_s, ".0f"),
            fmt(1e3 * wall_it, ".1f"),
            fmt(1e3 * cpu_it, ".1f"),
            fmt(attr(m, "wall_seconds"), ".0f"),
            f"{fmt(attr(m, 'modes_found'), '.0f')}" if "modes_found" in (m.attrs if m else {}) else "–",
            fmt(attr(m, "mode_mse_mean"), ".2e"),
            fmt(attr(m, "is_mode_mse_mean"), ".2e"),
            fmt(attr(m, "energy_distance", attr(m, "energy_distance_sliced")), ".3g"),
            fmt(attr(m, "mmd"), ".3g"),
            fmt(attr(m, "reverse_ess_fraction"), ".3f"),
            fmt(attr(m, "log_z_estimate"), ".4g"),
            fmt(attr(m, "elbo"), ".4g"),
            fmt(attr(m, "log_z_true"), ".6g"),
            target_specific(f, name, x, log_w),
        ]
    return "| " + " | ".join(cells) + " |"


HEADER = [
    "run", "target (d)", "N", "blocks x iters (batch)", "lr / particles", "train div", "ranks", "train wall [s]",
    "wall ms/iter", "CPU ms/iter", "total wall [s]", "modes found", "mode MSE (mean)", "IS mode MSE",
    "energy dist.", "MMD", "rev. ESS frac", "log Z (IS)", "ELBO", "log Z true", "target-specific",
]


def main():
    paths = sys.argv[1:] or sorted(glob.glob("runs/annealing_flow_*_samples.h5"))
    if not paths:
        sys.exit(__doc__)
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "---|" * len(HEADER))
    for p in paths:
        with h5py.File(p, "r") as f:
            if attr(f["meta"], "method", "?") != "annealing_flow":
                continue
        print(row(p))
    print()
    print("Distances against exact target samples (energy distance: exact O(NM) where N, M <= "
          "metrics.exact_max, else sliced). IS = self-normalised importance weights w ∝ exp(−U − log q) "
          "with the exact flow density. CPU ms/iter: process CPU time of the slowest rank per training "
          "iteration (robust on a shared machine); wall ms/iter depends on the machine's load.")


if __name__ == "__main__":
    main()
