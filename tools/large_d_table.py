#!/usr/bin/python3
"""Results table of the large-dimensional runs (ManyWell-64/128/256, gmm_d 100/200), from HDF5.

usage: tools/large_d_table.py [--out FILE.md] [RUN_samples.h5 ...]   (default: runs/large_d/*_samples.h5)

One row per run (Annealing Flow or neural JKO): settings from the file's resolved deck, log Z
(IS estimate, ELBO and, where the run has it, the EUBO at exact samples) against the exact value, the ManyWell sign balance of the double-well
coordinates (positive_fraction_* of the driver report) against the exact well mass, reverse ESS,
wall time and peak memory. The command-line overrides of a run are read from RUN.cmd next to its
output when present, and the wall time of the whole command from RUN.time (GNU `time -v`). Then the published ManyWell numbers (reference-results.md §4.3) and, for
gmm_d, the published nJKO-IC numbers (tools/njko_table.py), both marked as not comparable.
"""
import glob
import math
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from af_table import attr, fmt  # noqa: E402
from njko_table import PUBLISHED as NJKO_PUBLISHED  # noqa: E402
from table_io import emit, pop_out  # noqa: E402

# SGDS Table 1 (reference-results.md §4.3): method -> (MW-64 ELBO, MW-64 EUBO, MW-128 ELBO, MW-128 EUBO).
SGDS_TABLE1 = {
    "PIS": (321.87, 2026.11, 643.30, 1159.60),
    "iDEM": (268.99, 414.18, 494.28, 817.32),
    "TB+LS": (314.94, 357.40, None, None),
    "SGDS": (320.25, 336.51, 614.41, 684.76),
}


def resolved(f):
    """The run's resolved deck as {key: value}."""
    text = f["config/resolved"][()]
    text = text.decode() if isinstance(text, bytes) else text
    out = {}
    for line in text.splitlines():
        k, sep, v = line.partition(" = ")
        if sep:
            out[k.strip()] = v.strip()
    return out


def elapsed(path):
    """Wall time of the whole command (run + metrics + output) from RUN.time (GNU time -v), if present."""
    if not os.path.exists(path):
        return float("nan")
    for line in open(path, errors="replace"):
        if "Elapsed (wall clock)" in line:
            parts = [float(p) for p in line.rsplit(" ", 1)[1].split(":")]
            return sum(p * 60 ** k for k, p in enumerate(reversed(parts)))
    return float("nan")


def settings(method, cfg, m, d):
    g = lambda k: cfg.get(f"{method}.{k}", "?")
    if method == "annealing_flow":
        return (f"{g('blocks')} blocks × {g('iterations')} it × {g('batch')}, {g('particles')} particles, "
                f"w = {g('width')}, {g('steps')} RK steps, lr {g('lr')}, train div. {g('divergence')}")
    if method == "neural_jko":
        w = g("width")
        w = str(2 * d + 50) if w == "0" else w  # 0 = the reference rule 2d + 50
        return (f"{fmt(attr(m, 'cnf_steps'), '.0f')} CNF / {fmt(attr(m, 'rejection_steps'), '.0f')} rej. steps, "
                f"{g('iterations')} it × {g('batch')}, data {g('dataset')}, w = {w}, S = {g('ode_steps')}, "
                f"train div. {g('divergence')}")
    return "?"


def row(path):
    with h5py.File(path, "r") as f:
        meta, m = f["meta"], f.get("metrics")
        cfg = resolved(f)
        git = attr(meta, "git_hash", "?")
        method, target, d = attr(meta, "method", "?"), attr(meta, "target", "?"), int(attr(meta, "dim", 0))
        n = int(attr(m, "samples", 0))
        lz, elbo, truth = attr(m, "log_z_estimate"), attr(m, "elbo"), attr(m, "log_z_true")
        ess, ess_n = attr(m, "reverse_ess"), attr(m, "reverse_ess_n")
        if "positive_fraction_mean" in (m.attrs if m is not None else {}):
            pos = (f"{attr(m, 'positive_fraction_mean'):.4f} [{attr(m, 'positive_fraction_min'):.3f}, "
                   f"{attr(m, 'positive_fraction_max'):.3f}]")
            pos_w = fmt(attr(m, "positive_fraction_weighted"), ".4f")
            pos_x = fmt(attr(m, "positive_fraction_exact"), ".4f")
        else:
            pos = pos_w = pos_x = "–"
        modes = attr(m, "modes_found")
        cells = [
            os.path.basename(path).replace("_samples.h5", ""),
            method,
            f"{target} ({d})",
            settings(method, cfg, m, d),
            str(n),
            fmt(lz, ".2f"),
            fmt(elbo, ".2f"),
            fmt(truth, ".2f"),
            fmt(lz - truth, ".2f"),
            fmt(elbo - truth, ".2f"),
            fmt(attr(m, "eubo"), ".2f"),
            fmt(attr(m, "eubo") - truth, ".2f"),
            pos,
            pos_w,
            pos_x,
            fmt(modes, ".0f"),
            fmt(attr(m, "energy_distance_sliced"), ".3g"),
            f"{fmt(ess, '.3g')} / {fmt(ess_n, '.0f')}",
            fmt(attr(m, "wall_seconds"), ".0f"),
            fmt(elapsed(path.replace("_samples.h5", ".time")), ".0f"),
            fmt(attr(m, "peak_rss_mib_max_rank"), ".0f"),
            fmt(attr(meta, "mpi_ranks"), ".0f"),
        ]
    cmd = path.replace("_samples.h5", ".cmd")
    overrides = open(cmd).read().strip() if os.path.exists(cmd) else None
    return (target, d, method), "| " + " | ".join(cells) + " |", (cells[0], git, overrides)


HEADER = [
    "run", "method", "target (d)", "CPU settings", "N", "log Z (IS)", "ELBO", "log Z exact", "IS − exact",
    "ELBO − exact", "EUBO", "EUBO − exact", "P(x₂ᵢ > 0) mean [min, max]", "IS-weighted", "exact", "modes found", "sliced energy dist.",
    "reverse ESS / N", "sampler wall [s]", "command wall [s]", "peak RSS [MiB/rank]", "ranks",
]


def published():
    lines = ["Published ManyWell numbers (SGDS Table 1, reference-results.md §4.3; ± not recorded). **Not "
             "comparable** with the rows above: other training budgets (GPU, full-size), other sample counts. "
             "Their EUBO is the statistic of the EUBO column above: the mean of −U − log q over exact target "
             "samples (the driver's `eubo`).", "",
             "| method | MW-64 ELBO | MW-64 EUBO | MW-128 ELBO | MW-128 EUBO |", "|---|---|---|---|---|"]
    for k, v in SGDS_TABLE1.items():
        lines.append(f"| {k} | " + " | ".join("not recorded" if x is None else f"{x:.2f}" for x in v) + " |")
    lines += ["", "Published nJKO-IC numbers for gmm_d (reference-results.md §1.1–1.2, via tools/njko_table.py; "
              "50 000 samples, full budget). **Not comparable** with reduced-budget CPU runs:", "",
              "| target | d | energy distance | log Z estimate (exact 0) | exact-sample floor |", "|---|---|---|---|---|"]
    for key in ("gmm100", "gmm200"):
        label, d, ed, lz, fl = NJKO_PUBLISHED[key]
        lines.append(f"| {label} | {d} | {ed:.2e} | {lz:.2e} | {fl:.2e} |")
    return "\n".join(lines)


def main():
    args = sys.argv[1:]
    out = pop_out(args)
    paths = args or sorted(glob.glob("runs/large_d/*_samples.h5"))
    if not paths:
        sys.exit(__doc__)
    _, rows, cmds = zip(*sorted(row(p) for p in paths))  # by target, dimension, method
    text = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER), *rows, ""]
    text += ["Command-line overrides (all runs: `OMP_NUM_THREADS=1 mpirun --allow-run-as-root "
             "--oversubscribe -np RANKS build/src/boltzflow inputs/<method>_<target>.ini ... "
             "--output.prefix=runs/large_d/<run>`, RANKS as in the table):", "", "| run | git hash | overrides |", "|---|---|---|"]
    text += [f"| {name} | {git} | `{o}` |" if o else f"| {name} | {git} | (not recorded) |" for name, git, o in cmds]
    text += ["", published(), ""]
    emit("\n".join(text), out)


if __name__ == "__main__":
    main()
