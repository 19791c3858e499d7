#!/usr/bin/python3
"""Time one Annealing Flow training iteration in PyTorch, the way the official code computes it
(methods.md §1.2), to compare boltzflow's per-iteration time on the SAME machine and load.

GMM ring K = 8, c = 10, block k (beta_k = k/10), batch 1000, MLP 2-32-32-2 Softplus(beta = 20),
no time input, 3 sub-intervals of one RK4 (3/8) step each, finite-difference Hutchinson
divergence (one Gaussian probe per sub-interval, sigma = 0.01/sqrt(d)), loss = Type II
(mean grad E_k(x_3) . v(x_2)) - mean int div + W2(last sub-step)/delta, Adam lr 1e-4, clip 1.
Gradients by autograd through the steps (the official code uses torchdiffeq's adjoint, which
re-integrates backward and costs MORE; torchdiffeq is not installed here), so this is a lower
bound on the reference's time.

usage: tools/af_torch_iteration.py [--threads T] [--iterations N] [--block k]
Prints CPU seconds (time.process_time) and wall seconds per iteration.
"""
import argparse
import math
import time

import torch


def ring_means(K=8, c=10.0):
    a = torch.arange(K, dtype=torch.float64) * 2 * math.pi / K
    return torch.stack([c * torch.cos(a), c * torch.sin(a)], 1)


def score(x, beta, mu):
    """grad E_beta(x) = beta sum_j r_j(x)(x - mu_j) + (1 - beta) x (hand-coded, as the reference)."""
    diff = x[:, None, :] - mu[None, :, :]
    logits = -0.5 * (diff ** 2).sum(-1)
    r = torch.softmax(logits, 1)
    return beta * (r[:, :, None] * diff).sum(1) + (1 - beta) * x


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--iterations", type=int, default=50)
    p.add_argument("--block", type=int, default=5)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    d, B, S, delta = 2, 1000, 3, 0.05
    beta = a.block / 10
    mu = ring_means()
    net = torch.nn.Sequential(torch.nn.Linear(d, 32), torch.nn.Softplus(beta=20), torch.nn.Linear(32, 32),
                              torch.nn.Softplus(beta=20), torch.nn.Linear(32, d)).double()
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    sigma = 0.01 / math.sqrt(d)

    def f(x, e):  # (v, div) with the FD Hutchinson estimate
        v = net(x)
        div = (e * (net(x + sigma * e) - v)).sum(1) / sigma
        return v, div

    def rk4_38(x, ell, h, e):
        k1, s1 = f(x, e)
        k2, s2 = f(x + h * k1 / 3, e)
        k3, s3 = f(x + h * (-k1 / 3 + k2), e)
        k4, s4 = f(x + h * (k1 - k2 + k3), e)
        return x + h * (k1 + 3 * k2 + 3 * k3 + k4) / 8, ell + h * (s1 + 3 * s2 + 3 * s3 + s4) / 8

    pool = torch.randn(20000, d, dtype=torch.float64) * 3

    def iteration(i):
        x = pool[torch.randint(0, pool.shape[0], (B,))]
        ell = torch.zeros(B, dtype=torch.float64)
        xs = [x]
        for s in range(S):
            e = torch.randn(B, d, dtype=torch.float64)  # fixed for one sub-interval solve
            x, ell = rk4_38(x, ell, 1.0 / S, e)
            xs.append(x)
        loss_v = (score(xs[-1], beta, mu) * net(xs[-2])).sum(1).mean()
        loss_w2 = ((xs[-1] - xs[-2]) ** 2).mean() / delta
        loss = loss_v - ell.mean() + loss_w2
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        return loss.item()

    for i in range(5):  # warm-up
        iteration(i)
    c0, w0 = time.process_time(), time.perf_counter()
    for i in range(a.iterations):
        iteration(i)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    print(f"torch {torch.__version__}, {a.threads} thread(s): {a.iterations} iterations, "
          f"CPU {1e3 * cpu / a.iterations:.1f} ms/iteration, wall {1e3 * wall / a.iterations:.1f} ms/iteration")


if __name__ == "__main__":
    main()
