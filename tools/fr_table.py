#!/usr/bin/python3
"""Markdown table of Fisher-Rao runs from their boltzflow HDF5 outputs.

usage: tools/fr_table.py [--update RESULTS.md [--block NAME]] [FILE.h5 ...]    (default: runs/fisher_rao_*_samples.h5)

One row per file: target, interpolation (with the gradient-flow schedule weight, or the base
sigma of the linear and learned curves), network depth
x width, training iterations and batch, number N of samples,
reverse ESS fraction (of those N samples), energy distance against exact target samples,
NLL = -E_target[log q] (with its number of exact samples), -mean log rho(x_gen), kinetic
action, log Z estimate and the exact log Z, modes found, sampled mode weights (exact ones in
parentheses, targets with at most 4 modes), and wall times (training, sampling, whole run) with the
MPI rank count.

Without --update the table goes to stdout. With --update it replaces the lines between the
markers BEGIN and END below in RESULTS.md, so the hand-written text around the table (reference
numbers, budgets) survives regeneration; --block NAME uses the markers of the table NAME instead
(BEGIN/END with "generated table" followed by NAME), so one results file can hold several tables.
"""
import glob
import sys

BEGIN = "<!-- fr_table.py: begin generated table -->"
END = "<!-- fr_table.py: end generated table -->"

import h5py


def resolved(f):
    text = f["config/resolved"][()]
    text = text.decode() if isinstance(text, bytes) else str(text)
    out = {}
    for line in text.splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            out[k.strip()] = v.strip()
    return out


def attr(group, name, default=float("nan")):
    v = group.attrs.get(name, default)
    return v.decode() if isinstance(v, bytes) else v


def fmt(v, spec=".4g"):
    try:
        return format(float(v), spec)
    except (TypeError, ValueError):
        return str(v)


def mode_weights(m):
    if "mode_weights" not in m or "mode_weights_exact" not in m or len(m["mode_weights_exact"]) > 4:
        return "-"
    return " / ".join(fmt(w, ".3f") + " (" + fmt(e, ".3f") + ")" for w, e in zip(m["mode_weights"][()], m["mode_weights_exact"][()]))


def row(path):
    with h5py.File(path, "r") as f:
        cfg, m, meta = resolved(f), f["metrics"], f["meta"]
        return [
            path.split("/")[-1].replace("_samples.h5", ""),
            attr(meta, "target", "?") + " (d = " + str(attr(meta, "dim", "?")) + ")",
            cfg.get("fisher_rao.interpolation", "?"),
            cfg.get("fisher_rao.schedule", "affine") if cfg.get("fisher_rao.interpolation") == "gradient_flow" else "-",
            "-" if cfg.get("fisher_rao.interpolation") == "gradient_flow" else cfg.get("fisher_rao.base_sigma", "?"),
            cfg.get("network.depth", "?") + " x " + cfg.get("network.width", "?"),
            cfg.get("fisher_rao.iterations", "?"),
            cfg.get("fisher_rao.batch", "?"),
            fmt(attr(m, "samples"), ".0f"),
            fmt(attr(m, "reverse_ess_fraction"), ".5g"),
            fmt(attr(m, "energy_distance", attr(m, "energy_distance_sliced"))),
            fmt(attr(m, "nll")) + " (" + fmt(attr(m, "nll_samples"), ".0f") + ")",
            fmt(attr(m, "nll_target_at_samples")),
            fmt(attr(m, "kinetic_action")),
            fmt(attr(m, "log_z_estimate")),
            fmt(attr(m, "log_z_true")),
            fmt(attr(m, "modes_found"), ".0f") + " / " + str(len(m["mode_weights_exact"])) if "mode_weights_exact" in m else "-",
            mode_weights(m),
            " / ".join(fmt(attr(m, k), ".1f") for k in ("train_wall_s", "sample_wall_s", "wall_seconds")),
            str(attr(meta, "mpi_ranks", "?")),
        ]


def table(files):
    head = ["run", "target", "interpolation", "schedule", "base σ", "network (depth x width)", "iterations", "batch", "N", "reverse ESS", "energy dist.",
            "NLL -E_p[log q] (n)", "-E_q[log p]", "kinetic action", "log Z est.", "log Z exact", "modes found",
            "mode weights (exact)",
            "wall s train / sample / total", "ranks"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return lines + ["| " + " | ".join(row(p)) + " |" for p in files]


def update(path, lines, block=None):
    """Replace the generated block of `path` (between BEGIN and END, or table `block`'s markers) with `lines`."""
    begin, end = (m.replace("generated table", "generated table " + block) for m in (BEGIN, END)) if block else (BEGIN, END)
    text = open(path).read().splitlines()
    if begin not in text or end not in text:
        sys.exit(path + ": no '" + begin + "' ... '" + end + "' block to replace")
    i, j = text.index(begin), text.index(end)
    open(path, "w").write("\n".join(text[: i + 1] + lines + text[j:]) + "\n")


def main():
    args = sys.argv[1:]
    target = block = None
    if args[:1] == ["--update"]:
        if len(args) < 2:
            sys.exit(__doc__)
        target, args = args[1], args[2:]
        if args[:1] == ["--block"]:
            if len(args) < 2:
                sys.exit(__doc__)
            block, args = args[1], args[2:]
    files = args or sorted(glob.glob("runs/fisher_rao_*_samples.h5"))
    if not files:
        sys.exit(__doc__)
    lines = table(files)
    if target:
        update(target, lines, block)
    else:
        print("\n".join(lines))


if __name__ == "__main__":
    main()
