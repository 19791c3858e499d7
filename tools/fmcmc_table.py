#!/usr/bin/python3
"""Markdown table of flow-assisted MCMC (and interpolant) runs, regenerated from their HDF5 outputs.

usage: tools/fmcmc_table.py RUN_samples.h5 [...] [--out FILE.md]

One row per file: target, dimension, sampler (flow_mcmc, "MALA alone" when
flow_mcmc.global_steps = 0, "flow_mcmc (ML-trained)" with flow_mcmc.loss = likelihood), mode
weights of the production samples vs exact, mode switches and acceptance rates of the
production phase (two modes: ± the standard error from the ESS of the mode indicator), IAT/ESS of U, the flow's importance-sampling log Z and reverse ESS, and wall
times. Everything is read from the files: /config/resolved,
/meta, /metrics (attributes and mode weights).
"""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from table_io import emit, pop_out  # noqa: E402


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def resolved(f):
    keys = {}
    if "config/resolved" in f:
        for line in text(f["config/resolved"][()]).splitlines():
            if " = " in line:
                k, v = line.split(" = ", 1)
                keys[k.strip()] = v.strip()
    return keys


def fmt(v, digits=3):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "–"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e9:
        return str(int(v))
    if isinstance(v, float):
        return f"{v:.{digits}g}"
    return str(v)


def row(path):
    with h5py.File(path, "r") as f:
        meta = {k: text(v) if isinstance(v, bytes) else v for k, v in f["meta"].attrs.items()}
        m = {k: float(v) for k, v in f["metrics"].attrs.items()}
        cfg = resolved(f)
        method = meta.get("method", "?")
        if method == "flow_mcmc" and cfg.get("flow_mcmc.global_steps") == "0":
            sampler = "MALA alone"
        elif method == "flow_mcmc" and cfg.get("flow_mcmc.loss") == "likelihood":
            sampler = "flow_mcmc (ML-trained)"
        else:
            sampler = method
        if cfg.get("flow_mcmc.whitening") == "full" and method == "flow_mcmc" and sampler != "MALA alone":
            sampler += ", full whitening"
        target = meta.get("target", "?")
        if target == "phi4":
            target += f" (b = {cfg.get('target.phi4_b', '?')})"
        w = np.asarray(f["metrics/mode_weights"]) if "metrics/mode_weights" in f else None
        we = np.asarray(f["metrics/mode_weights_exact"]) if "metrics/mode_weights_exact" in f else None
        if w is None:
            weights = "–"
        elif len(w) <= 4:
            weights = " / ".join(f"{x:.3f}" for x in w)
            ess = m.get("ess_chain_mode")
            if len(w) == 2 and m.get("mode_switches_production", 0) == 0:
                weights += " (no switch: the start's split)"
            elif len(w) == 2 and ess and ess > 0:  # binomial error with the mode indicator's ESS
                weights += f" ± {np.sqrt(w[0] * w[1] / ess):.3f}"
            if we is not None:
                weights += " (exact " + " / ".join(f"{x:.2f}" for x in we) + ")"
        else:
            weights = f"{int((w > 0).sum())}/{len(w)} found"
            if we is not None:
                weights += f", max abs err {np.abs(w - we).max():.3f}"
        its = f"{cfg.get('flow_mcmc.training_iterations', '–')} + {cfg.get('flow_mcmc.production_iterations', '–')}"
        if method != "flow_mcmc":
            its = "–"
        ll = m.get("test_log_likelihood")
        return [
            os.path.basename(path).replace("_samples.h5", ""),
            target,
            str(meta.get("dim", "?")),
            sampler,
            cfg.get("flow_mcmc.walkers", "–") if method == "flow_mcmc" else fmt(m.get("samples")),
            its,
            weights,
            fmt(m.get("mode_switches_production")),
            fmt(m.get("local_acceptance_production")),
            fmt(m.get("global_acceptance_production")),
            fmt(m.get("iat_production_U")),
            fmt(m.get("ess_production_U"), 4),
            fmt(m.get("flow_is_log_z", m.get("log_z_estimate"))),
            fmt(m.get("flow_is_ess_fraction", m.get("reverse_ess_fraction"))),
            fmt(ll) if ll is not None else "–",
            fmt(m.get("wall_seconds"), 4),
            str(meta.get("mpi_ranks", "?")),
        ]


HEADER = ["run", "target", "d", "sampler", "walkers / samples", "iterations (train + prod)",
          "mode weights (production)", "switches (prod)", "local acc", "global acc", "IAT U", "ESS U",
          "flow IS log Z", "IS ESS frac", "test log-lik", "wall s", "ranks"]


def main():
    args = sys.argv[1:]
    out = pop_out(args)
    if not args:
        sys.exit(__doc__)
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for p in args:
        lines.append("| " + " | ".join(row(p)) + " |")
    emit("\n".join(lines) + "\n", out)


if __name__ == "__main__":
    main()
