#!/usr/bin/python3
"""Markdown table of Fisher-Rao runs from their boltzflow HDF5 outputs.

usage: tools/fr_table.py [FILE.h5 ...]    (default: runs/fisher_rao_*_samples.h5)

One row per file: target, interpolation, training iterations and batch, number N of samples,
reverse ESS fraction (of those N samples), energy distance against exact target samples,
NLL = -E_target[log q] (with its number of exact samples), -mean log rho(x_gen), kinetic
action, log Z estimate, and wall times (training, sampling) with the MPI rank count.
"""
import glob
import sys

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


def row(path):
    with h5py.File(path, "r") as f:
        cfg, m, meta = resolved(f), f["metrics"], f["meta"]
        return [
            path.split("/")[-1].replace("_samples.h5", ""),
            attr(meta, "target", "?"),
            cfg.get("fisher_rao.interpolation", "?"),
            cfg.get("fisher_rao.iterations", "?"),
            cfg.get("fisher_rao.batch", "?"),
            fmt(attr(m, "samples"), ".0f"),
            fmt(attr(m, "reverse_ess_fraction")),
            fmt(attr(m, "energy_distance", attr(m, "energy_distance_sliced"))),
            fmt(attr(m, "nll")) + " (" + fmt(attr(m, "nll_samples"), ".0f") + ")",
            fmt(attr(m, "nll_target_at_samples")),
            fmt(attr(m, "kinetic_action")),
            fmt(attr(m, "log_z_estimate")),
            fmt(attr(m, "train_wall_s"), ".1f") + " / " + fmt(attr(m, "sample_wall_s"), ".1f"),
            str(attr(meta, "mpi_ranks", "?")),
        ]


def main():
    files = sys.argv[1:] or sorted(glob.glob("runs/fisher_rao_*_samples.h5"))
    if not files:
        sys.exit(__doc__)
    head = ["run", "target", "interpolation", "iterations", "batch", "N", "reverse ESS", "energy dist.",
            "NLL -E_p[log q] (n)", "-E_q[log p]", "kinetic action", "log Z est.", "wall s train / sample", "ranks"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for p in files:
        print("| " + " | ".join(row(p)) + " |")


if __name__ == "__main__":
    main()
