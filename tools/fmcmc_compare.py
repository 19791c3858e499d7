#!/usr/bin/python3
"""Per-coordinate posterior comparison of a flow_mcmc run with a reference MCMC run, from their HDF5 outputs.

usage: tools/fmcmc_compare.py FLOW_samples.h5 REFERENCE_samples.h5 [--coords] [--out FILE.md]
       tools/fmcmc_compare.py --self-test   (the ESS estimator on AR(1) chains of known τ = (1+φ)/(1−φ))

Posterior mean and standard deviation of every coordinate in both runs, each with its Monte-Carlo
standard error from the run's effective sample size:
  - flow_mcmc: the production chains (walker-major /samples/x, one chain per walker); ESS per
    coordinate by Geyer's initial monotone sequence on the autocovariance averaged over all
    chains (global mean, 1/n normalisation: the definition of metrics/Autocorrelation.hpp);
  - reference (run.method = hmc or mala): the final states of independent chains, ESS = chains.
se(mean) = sd/sqrt(ESS); se(sd) = se(var)/(2 sd) with se(var) = std((x - mean)²)/sqrt(ESS of (x - mean)²)
(the square's own autocorrelation and the kurtosis, not the Gaussian sd/sqrt(2 ESS)). z = |a - b| / sqrt(se_a² + se_b²);
reported: max |z| and the number of coordinates with |z| > 3, for means and for standard deviations.
Also the flow's importance-sampling evidence log Z of exp(-U) from its fresh draws
(/flow_mcmc/flow_samples), its ESS and delta-method error, and for target = logistic the
log marginal likelihood log p(y) = log Z - [(D/2) log 2π - a0 log b0 + log Γ(a0)] (U omits the
prior's normalising constants, targets/LogisticRegression.hpp). Wall times from /metrics.
"""
import math
import os
import sys

import h5py
import numpy as np

from fmcmc_table import fmt, resolved, text
from table_io import emit, pop_out


def geyer_ess(chains):
    """ESS of a scalar observable from an (n_steps, n_chains) array (Geyer initial monotone sequence)."""
    n, m = chains.shape
    f = chains - chains.mean()
    size = 1 << (2 * n - 1).bit_length()
    spec = np.fft.rfft(f, size, axis=0)
    acov = np.fft.irfft(spec * np.conj(spec), size, axis=0)[:n].mean(axis=1) / n
    rho = acov / acov[0]
    tau, prev = -1.0, math.inf
    for k in range(0, n - 1, 2):
        pair = rho[k] + rho[k + 1]
        if pair <= 0:
            break
        prev = min(prev, pair)
        tau += 2 * prev
    tau = max(tau, 1.0 / math.log10(n * m))
    return n * m / tau


def self_test():
    rng = np.random.default_rng(1)
    n, m = 4000, 50
    for phi in (0.0, 0.5, 0.9):
        e = rng.normal(size=(n, m))
        x = np.empty((n, m))
        x[0] = e[0] / math.sqrt(1 - phi * phi)  # stationary start
        for t in range(1, n):
            x[t] = phi * x[t - 1] + e[t]
        tau, exact = n * m / geyer_ess(x), (1 + phi) / (1 - phi)
        print(f"AR(1) phi = {phi}: tau {tau:.3f}, exact {exact:.3f}")
        if abs(tau / exact - 1) > 0.05:  # sd of the estimate ≈ 2% at phi = 0.9 for these lengths
            sys.exit("self-test FAILED")
    print("self-test passed")


def moments(path):
    """Per-coordinate mean, sd, ESS and the run's description."""
    with h5py.File(path, "r") as f:
        x = np.asarray(f["samples/x"], dtype=float)
        meta = {k: text(v) for k, v in f["meta"].attrs.items()}
        metrics = {k: float(v) for k, v in f["metrics"].attrs.items()}
        cfg = resolved(f)
        method = meta.get("method", "?")
        flow = None
        if "flow_mcmc/flow_samples/U" in f:
            flow = (np.asarray(f["flow_mcmc/flow_samples/U"], dtype=float).ravel(),
                    np.asarray(f["flow_mcmc/flow_samples/log_q"], dtype=float).ravel())
    n, d = x.shape
    if method == "flow_mcmc":
        walkers = int(cfg["flow_mcmc.walkers"])
        per = n // walkers
        chains = x.reshape(walkers, per, d).transpose(1, 0, 2)  # (steps, walkers, d)
        ess = np.array([geyer_ess(chains[:, :, j]) for j in range(d)])
        sq = (chains - chains.reshape(-1, d).mean(0)) ** 2
        ess_sq = np.array([geyer_ess(sq[:, :, j]) for j in range(d)])
        how = f"{walkers} chains x {per} production records, ESS per coordinate (Geyer)"
    else:
        ess = ess_sq = np.full(d, float(n))
        how = f"final states of {n} independent chains, ESS = {n}"
    return dict(name=os.path.basename(path).replace("_samples.h5", ""), method=method, mean=x.mean(0),
                sd=x.std(0, ddof=1), ess=ess, ess_sq=ess_sq,
                sq_sd=((x - x.mean(0)) ** 2).std(0, ddof=1), how=how, metrics=metrics, cfg=cfg, meta=meta, flow=flow, n=n, d=d)


def z_scores(a, b, key, se):
    return np.abs(a[key] - b[key]) / np.sqrt(se(a) ** 2 + se(b) ** 2)


def evidence(run):
    """log Z of exp(-U) from the flow's fresh draws: (log Z, delta-method se, ESS, draws)."""
    U, lq = run["flow"]
    lw = -U - lq
    top = lw.max()
    w = np.exp(lw - top)
    n = len(w)
    log_z = top + math.log(w.mean())
    ess = w.sum() ** 2 / (w ** 2).sum()
    se = w.std(ddof=1) / (w.mean() * math.sqrt(n))
    return log_z, se, ess, n


def prior_constant(run):
    """(D/2) log 2π − a0 log b0 + log Γ(a0): log Z(exp(−U)) − log p(y) for target = logistic."""
    cfg = run["cfg"]
    D = run["d"] - 1
    a0, b0 = float(cfg.get("target.logistic_a0", 1.0)), float(cfg.get("target.logistic_b0", 0.01))
    if cfg.get("target.logistic_af_prior", "false") in ("true", "1", "yes", "on"):
        return None  # the AF convention's U is not a normalised prior times the likelihood
    return 0.5 * D * math.log(2 * math.pi) - a0 * math.log(b0) + math.lgamma(a0)


def report(flow, ref, coords):
    se_m = lambda r: r["sd"] / np.sqrt(r["ess"])
    se_s = lambda r: r["sq_sd"] / np.sqrt(r["ess_sq"]) / (2 * r["sd"])
    zm, zs = z_scores(flow, ref, "mean", se_m), z_scores(flow, ref, "sd", se_s)
    out = [f"flow: {flow['name']} ({flow['how']}; ESS min {flow['ess'].min():.0f}, "
           f"median {np.median(flow['ess']):.0f}; of the squares min {flow['ess_sq'].min():.0f})",
           f"reference: {ref['name']} ({ref['method']}, {ref['how']})",
           f"means: max |z| = {zm.max():.2f} (coordinate {int(zm.argmax())}), "
           f"{int((zm > 3).sum())} of {len(zm)} coordinates with |z| > 3",
           f"standard deviations: max |z| = {zs.max():.2f} (coordinate {int(zs.argmax())}), "
           f"{int((zs > 3).sum())} of {len(zs)} coordinates with |z| > 3",
           f"max |mean difference| / reference sd = {np.max(np.abs(flow['mean'] - ref['mean']) / ref['sd']):.3f}; "
           f"sd ratio flow/reference in [{np.min(flow['sd'] / ref['sd']):.3f}, {np.max(flow['sd'] / ref['sd']):.3f}]"]
    m = flow["metrics"]
    out.append("flow_mcmc: global acceptance (production) " + fmt(m.get("global_acceptance_production")) +
               ", local " + fmt(m.get("local_acceptance_production")) + ", wall s " + fmt(m.get("wall_seconds"), 4) +
               " (training " + fmt(m.get("wall_seconds_training"), 4) + ", production " +
               fmt(m.get("wall_seconds_production"), 4) + "), loss = " + flow["cfg"].get("flow_mcmc.loss", "?"))
    out.append(f"reference: wall s {fmt(ref['metrics'].get('wall_seconds'), 4)}, acceptance "
               f"{fmt(ref['metrics'].get('acceptance_rate'))}")
    if flow["flow"] is not None:
        log_z, se, ess, n = evidence(flow)
        line = f"flow IS evidence: log Z(exp(-U)) = {log_z:.3f} ± {se:.3f} (ESS {ess:.0f} of {n} draws)"
        c = prior_constant(flow) if flow["meta"].get("target") == "logistic" else None
        if c is not None:
            line += f"; log p(y) = {log_z - c:.3f}"
        out.append(line)
    text_out = "\n".join("- " + s for s in out) + "\n"
    if coords:
        rows = ["| coord | mean flow | mean ref | z mean | sd flow | sd ref | z sd | ESS flow | ESS flow (x-m)² |",
                "|" + "---|" * 9]
        for j in range(flow["d"]):
            rows.append(f"| {j} | {flow['mean'][j]:.4f} | {ref['mean'][j]:.4f} | {zm[j]:.2f} | {flow['sd'][j]:.4f} | "
                        f"{ref['sd'][j]:.4f} | {zs[j]:.2f} | {flow['ess'][j]:.0f} | {flow['ess_sq'][j]:.0f} |")
        text_out += "\n" + "\n".join(rows) + "\n"
    return text_out


def main():
    args = sys.argv[1:]
    out = pop_out(args)
    if "--self-test" in args:
        return self_test()
    coords = "--coords" in args
    args = [a for a in args if a != "--coords"]
    if len(args) != 2:
        sys.exit(__doc__)
    flow, ref = moments(args[0]), moments(args[1])
    if flow["d"] != ref["d"]:
        sys.exit(f"dimension mismatch: {flow['d']} vs {ref['d']}")
    emit(report(flow, ref, coords), out)


if __name__ == "__main__":
    main()
