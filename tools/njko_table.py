#!/usr/bin/python3
"""Results table of the neural JKO (nJKO-IC) experiments vs the published numbers.

usage: tools/njko_table.py [--runs DIR] [--out FILE.md] [--floor-directions L]

Reads the driver logs DIR/<name>.log (written by `boltzflow inputs/neural_jko_<name>.ini ... >
DIR/<name>.log`; default DIR = runs/neural_jko), takes the metrics block the driver prints at the
end of a run and the resolved deck, and writes a Markdown table next to the published nJKO-IC
numbers (reference-results.md §1.1-1.2). For the 2-D targets it also computes the exact-sample
floor: the sliced energy distance between two independent exact sample sets of the run's size
(pure Python, L random directions, c_2 = pi/2), since the published floor is for 50 000 samples.
Pure Python (no numpy/h5py needed).
"""
import math
import os
import random
import re
import sys

from table_io import emit, pop_out

# Published nJKO-IC energy distance, log Z and "ref. error" (50 000 vs 50 000 exact samples).
PUBLISHED = {
    "mustache": ("mustache", 2, 2.9e-3, -7.3e-3, 8.6e-5),
    "shifted8": ("shifted 8 modes", 2, 1.2e-5, 5.1e-6, 2.6e-5),
    "peaky8": ("shifted 8 peaky", 2, 3.4e-5, -2.1e-3, 2.4e-5),
    "funnel": ("funnel", 10, 1.4e-2, -7.1e-3, 3.4e-4),
    "gmm10": ("GMM-10", 10, 5.3e-5, 3.5e-3, 4.6e-5),
    "gmm20": ("GMM-20", 20, 1.1e-4, 6.4e-3, 6.4e-5),
    "gmm50": ("GMM-50", 50, 1.0e-4, 1.1e-2, 1.1e-4),
    "gmm100": ("GMM-100", 100, 6.0e-4, -3.9e-2, 1.5e-4),
    "gmm200": ("GMM-200", 200, 3.3e-3, -5.6e-2, 2.0e-4),
}
ORDER = list(PUBLISHED)


def parse_log(path):
    """(metrics, deck, lines): metrics after '--- metrics ---', deck = resolved 'key = value'."""
    metrics, deck, in_metrics = {}, {}, False
    with open(path, errors="replace") as f:
        lines = f.read().splitlines()
    for line in lines:
        if line.startswith("--- metrics ---"):
            in_metrics = True
            continue
        m = re.match(r"^(\s*)([A-Za-z0-9_.]+) = (.*)$", line)
        if not m:
            continue
        key, val = m.group(2), m.group(3).strip()
        if in_metrics and m.group(1):
            try:
                metrics[key] = float(val)
            except ValueError:
                pass
        elif not in_metrics and "." in key:
            deck[key] = val
    return metrics, deck, lines


# ---- exact samplers of the 2-D targets (targets.md §2.3, §7) ----
def sample_shifted8(rng, n, var):
    s = math.sqrt(var)
    out = []
    for _ in range(n):
        k = rng.randrange(8)
        a = 2 * math.pi * k / 8
        out.append((math.cos(a) - 1 + s * rng.gauss(0, 1), math.sin(a) + s * rng.gauss(0, 1)))
    return out


def sample_mustache(rng, n):
    out = []
    for _ in range(n):  # y ~ N(0, [[1, .9], [.9, 1]]), x = (y1, y2 + (y1^2 - 1)^2)
        z1, z2 = rng.gauss(0, 1), rng.gauss(0, 1)
        y1, y2 = z1, 0.9 * z1 + math.sqrt(1 - 0.81) * z2
        out.append((y1, y2 + (y1 * y1 - 1) ** 2))
    return out


def sliced_energy_distance_2d(X, Y, L, rng):
    """c_2 * mean over L directions of the exact 1-D value ∫(F_X − F_Y)² (metrics.md §4.1)."""
    total = 0.0
    nx, ny = len(X), len(Y)
    for _ in range(L):
        a = rng.uniform(0, 2 * math.pi)
        c, s = math.cos(a), math.sin(a)
        pts = [(c * x + s * y, 1) for x, y in X] + [(c * x + s * y, 0) for x, y in Y]
        pts.sort()
        fx = fy = 0
        acc = 0.0
        for k in range(len(pts) - 1):
            if pts[k][1]:
                fx += 1
            else:
                fy += 1
            diff = fx / nx - fy / ny
            acc += diff * diff * (pts[k + 1][0] - pts[k][0])
        total += acc
    return (math.pi / 2) * total / L


def floor(name, n, L):
    rng = random.Random(12345)
    if name == "mustache":
        draw = lambda: sample_mustache(rng, n)
    elif name == "shifted8":
        draw = lambda: sample_shifted8(rng, n, 0.01)
    elif name == "peaky8":
        draw = lambda: sample_shifted8(rng, n, 0.005)
    else:
        return None
    return sliced_energy_distance_2d(draw(), draw(), L, rng)


def fmt(v, spec=".2e"):
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else format(v, spec)


def main():
    args = sys.argv[1:]
    runs = args[args.index("--runs") + 1] if "--runs" in args else "runs/neural_jko"
    out = pop_out(args)
    L = int(args[args.index("--floor-directions") + 1]) if "--floor-directions" in args else 100
    rows = []
    for name in ORDER:
        path = os.path.join(runs, name + ".log")
        if not os.path.exists(path):
            continue
        metrics, deck, lines = parse_log(path)
        label, d, ed_pub, lz_pub, floor_pub = PUBLISHED[name]
        if "energy_distance_sliced" not in metrics:
            rows.append(f"| {label} | {d} | run did not finish (see {path}) |" + " |" * 14)
            continue
        n = int(metrics.get("samples", 0))
        ed = metrics["energy_distance_sliced"]
        fl = floor(name, n, L)
        ratio = ed / ed_pub
        wall = metrics.get("wall_seconds", float("nan"))
        g = lambda k: deck.get("neural_jko." + k, "?")
        steps = f"{int(metrics.get('cnf_steps', 0))} / {int(metrics.get('rejection_steps', 0))}"
        w = g("width")
        w = f"{2 * d + 50}" if w == "0" else w  # 0 = the reference rule 2d + 50
        setting = (f"{g('iterations')} it × {g('batch')}, data {g('dataset')}, S = {g('ode_steps')}, w = {w}, "
                   f"{g('rejections_per_block')} rej./block")
        rows.append(
            f"| {label} | {d} | {steps} | {setting} | {n} | {fmt(ed)} | {fmt(ed_pub)} | {ratio:.2f} | "
            f"{'yes' if ratio <= 2 else 'no'} | {fmt(fl)} | {fmt(floor_pub)} | {fmt(metrics.get('log_z_elbo'), '.2e')} | "
            f"{fmt(lz_pub)} | {fmt(metrics.get('log_z_is'), '.2e')} | {fmt(metrics.get('eubo', float('nan')), '.2e')} | "
            f"{fmt(metrics.get('reverse_ess_fraction'), '.3f')} | "
            f"{fmt(metrics.get('latent_draws_per_sample'), '.2f')} ({fmt(metrics.get('expected_cost_per_sample'), '.2f')}) | "
            f"{fmt(wall, '.0f')} |")
    head = (
        "| target | d | CNF / rej. steps | CPU settings (per CNF) | N | energy distance | nJKO-IC (pub.) | ratio | ≤ 2× | "
        f"exact floor at N (L = {L}) | pub. floor (50k) | log Z (ELBO) | nJKO-IC log Z (pub.) | log Z (IS) | EUBO | reverse ESS | "
        "latent draws / sample (Π(1+r̂)) | wall [s] |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    emit(head + "\n" + "\n".join(rows) + "\n", out)


if __name__ == "__main__":
    main()
