#!/usr/bin/python3
"""Independent check of the sliced energy distance of a Gaussian-mixture run, and its exact floor.

usage: tools/gmm_ed_check.py RUN_samples.h5 [--directions L] [--pairs P] [--seed S]

Reads the mixture the run stored (/target/means, /target/sigmas per coordinate, /target/weights)
and the model samples (/samples/x), draws P fresh exact sets of the run's size with numpy, and
prints the sliced energy distance (metrics.md §4.1: c_d · mean over L directions of the 1-D
∫(F_X − F_Y)², ½-convention) of the model against each exact set, and of P exact pairs (the
sampling-error floor at that size). Numpy only; nothing is shared with the driver's C++ code, so
the driver's `energy_distance_sliced` can be compared against it. The spread over sets shows how
noisy the statistic is at this size.
"""
import argparse
import math

import h5py
import numpy as np


def sliced_ed(x, y, directions, rng):
    d = x.shape[1]
    c_d = math.exp(0.5 * math.log(math.pi) + math.lgamma((d + 1) / 2) - math.lgamma(d / 2))
    total = 0.0
    for _ in range(directions):
        xi = rng.standard_normal(d)
        xi /= np.linalg.norm(xi)
        z = np.concatenate([x @ xi, y @ xi])
        is_x = np.concatenate([np.ones(len(x)), np.zeros(len(y))])
        order = np.argsort(z)
        z, is_x = z[order], is_x[order]
        diff = np.cumsum(is_x) / len(x) - np.cumsum(1 - is_x) / len(y)
        total += np.sum(diff[:-1] ** 2 * np.diff(z))
    return c_d * total / directions


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run")
    ap.add_argument("--directions", type=int, default=1000)
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=12345)
    a = ap.parse_args()
    with h5py.File(a.run, "r") as f:
        means = f["target/means"][()]
        sigmas = f["target/sigmas"][()].reshape(len(means), -1)  # per coordinate, or one per component
        weights = f["target/weights"][()].ravel()
        x = f["samples/x"][()]
    rng = np.random.default_rng(a.seed)
    n = len(x)

    def exact():
        k = rng.choice(len(means), size=n, p=weights / weights.sum())
        return means[k] + sigmas[k] * rng.standard_normal((n, means.shape[1]))

    model = [sliced_ed(x, exact(), a.directions, rng) for _ in range(a.pairs)]
    floor = [sliced_ed(exact(), exact(), a.directions, rng) for _ in range(a.pairs)]
    print(f"{a.run}: N = {n}, d = {x.shape[1]}, {a.directions} directions, {a.pairs} exact sets")
    print("model vs exact:", " ".join(f"{v:.3g}" for v in model), f"mean {np.mean(model):.3g}")
    print("exact vs exact:", " ".join(f"{v:.3g}" for v in floor), f"mean {np.mean(floor):.3g}")


if __name__ == "__main__":
    main()
