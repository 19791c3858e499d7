#!/usr/bin/env python3
"""PyTorch reference for tools/bench/bench_nn.cpp (see README.md in this folder).

The same two training steps, with autograd, float64, on the same MLP shapes (inputs x and a
linear time feature t, `depth` tanh hidden layers of `width`, PyTorch's default init):
  v+div    v(x,t) with exact divergence, loss = sum(gv*v) + sum(gdiv*div), backward to the
           parameters and to x;
  f+g+lap  energy f(x,t) with gradient and Laplacian, loss = sum(gf*f + ggrad.grad f + glap*lap f),
           backward to the parameters and to x.
The divergence / Laplacian is computed two ways:
  loop     one autograd.grad(create_graph=True) per dimension (the usual hand-written way);
  vmap     functorch vmap(jacrev) (Jacobian) / vmap(jacfwd(jacrev)) (Hessian), then the trace.
Per row it prints the step time (best of --reps after one warm-up), particles/s, the GEMM
flops of the step (counted by replaying, shape by shape, the aten::mm/addmm/bmm calls the
profiler saw), achieved GFLOP/s, and step time / bare replay of those GEMMs. RESULT lines are
parsed by run_cpu_bench.sh.
"""
import argparse
import math
import time

import torch

try:  # torch >= 2.0
    from torch.func import jacfwd, jacrev, vmap
    HAVE_VMAP = "torch.func"
except ImportError:
    try:  # torch 1.13: functorch
        from functorch import jacfwd, jacrev, vmap
        HAVE_VMAP = "functorch"
    except ImportError:
        HAVE_VMAP = None

CASES = [(2, 64, 3, 4096), (32, 256, 3, 16384), (50, 256, 3, 16384)]
GEMM_OPS = ("aten::mm", "aten::addmm", "aten::bmm")


def make_mlp(inputs, width, depth, outputs):
    layers = [torch.nn.Linear(inputs, width), torch.nn.Tanh()]
    for _ in range(depth - 1):
        layers += [torch.nn.Linear(width, width), torch.nn.Tanh()]
    layers.append(torch.nn.Linear(width, outputs))
    return torch.nn.Sequential(*layers).double()


def with_time(x, t):
    return torch.cat([x, t.expand(x.shape[0], 1)], dim=1)


# ---- one training step each (gradients land in net.parameters() and x.grad) ----------------
def velocity_loop(net, x, t, gv, gdiv):
    x = x.detach().requires_grad_(True)
    v = net(with_time(x, t))
    div = torch.zeros_like(gdiv)
    for i in range(x.shape[1]):
        div = div + torch.autograd.grad(v[:, i].sum(), x, create_graph=True)[0][:, i]
    ((gv * v).sum() + (gdiv * div).sum()).backward()


def velocity_vmap(net, x, t, gv, gdiv):
    x = x.detach().requires_grad_(True)
    v = net(with_time(x, t))
    single = lambda xs: net(torch.cat([xs, t]))  # noqa: E731  (d,) -> (d,)
    jac = vmap(jacrev(single))(x)  # (B, d, d)
    div = jac.diagonal(dim1=1, dim2=2).sum(1)
    ((gv * v).sum() + (gdiv * div).sum()).backward()


def energy_loop(net, x, t, gf, ggrad, glap):
    x = x.detach().requires_grad_(True)
    f = net(with_time(x, t)).squeeze(1)
    g = torch.autograd.grad(f.sum(), x, create_graph=True)[0]
    lap = torch.zeros_like(gf)
    for i in range(x.shape[1]):
        lap = lap + torch.autograd.grad(g[:, i].sum(), x, create_graph=True)[0][:, i]
    ((gf * f).sum() + (ggrad * g).sum() + (glap * lap).sum()).backward()


def energy_vmap(net, x, t, gf, ggrad, glap):
    x = x.detach().requires_grad_(True)
    f = net(with_time(x, t)).squeeze(1)
    g = torch.autograd.grad(f.sum(), x, create_graph=True)[0]
    single = lambda xs: net(torch.cat([xs, t])).squeeze(0)  # noqa: E731  (d,) -> ()
    hess = vmap(jacfwd(jacrev(single)))(x)  # (B, d, d)
    lap = hess.diagonal(dim1=1, dim2=2).sum(1)
    ((gf * f).sum() + (ggrad * g).sum() + (glap * lap).sum()).backward()


# ---- timing ---------------------------------------------------------------------------------
CLOCK = time.perf_counter  # or time.process_time (--clock cpu): on a shared machine a
# single-threaded run's CPU time is the work it did, its wall time also counts waiting.


def best_seconds(reps, fn):
    fn()
    best = math.inf
    for _ in range(reps):
        t0 = CLOCK()
        fn()
        best = min(best, CLOCK() - t0)
    return best


def recorded_gemms(fn):
    """Shapes of the GEMMs one call of fn issues: (op, [input shapes])."""
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        fn()
    calls = []
    for e in prof.events():
        if e.name in GEMM_OPS:
            calls.append((e.name, [list(s) for s in e.input_shapes]))
    return calls


def gemm_flops(calls):
    total = 0.0
    for op, shapes in calls:
        if op == "aten::bmm":
            (b, m, k), (_, _, n) = shapes[0], shapes[1]
            total += 2.0 * b * m * n * k
        else:
            a, bb = (shapes[0], shapes[1]) if op == "aten::mm" else (shapes[1], shapes[2])
            total += 2.0 * a[0] * a[1] * bb[1]
    return total


def replay_seconds(calls, reps):
    """The same GEMMs, bare, on random contiguous operands of the recorded shapes."""
    ops = []
    for op, shapes in calls:
        tensors = [torch.randn(*s, dtype=torch.float64) if s else torch.randn((), dtype=torch.float64) for s in shapes[:3]]
        if op == "aten::mm":
            ops.append((torch.mm, tensors[:2]))
        elif op == "aten::addmm":
            ops.append((torch.addmm, tensors[:3]))
        else:
            ops.append((torch.bmm, tensors[:2]))

    def run():
        for f, args in ops:
            f(*args)

    return best_seconds(reps, run)


def zero_grads(net):
    for p in net.parameters():
        p.grad = None


def check_same_gradients(net, step_a, step_b, args):
    """The vmap variant must give the loop variant's parameter gradients."""
    grads = []
    for step in (step_a, step_b):
        zero_grads(net)
        step(net, *args)
        grads.append(torch.cat([p.grad.flatten() for p in net.parameters()]))
    err = (grads[0] - grads[1]).abs().max().item() / max(1e-300, grads[0].abs().max().item())
    if err > 1e-10:
        raise RuntimeError(f"vmap and loop gradients differ (relative {err:.2e})")
    return err


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--case", type=int, action="append", help="case index (0, 1, 2); default all")
    ap.add_argument("--max-batch", type=int, default=1 << 30, help="cap on the batch (CPU: smaller for width 256)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    ap.add_argument("--methods", default="loop,vmap", help="comma list of loop, vmap")
    ap.add_argument("--kinds", default="v+div,f+g+lap")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall", help="wall or process CPU time")
    a = ap.parse_args()
    global CLOCK
    CLOCK = time.process_time if a.clock == "cpu" else time.perf_counter

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, vmap: {HAVE_VMAP or 'unavailable'}, "
          f"best of {a.reps} after one warm-up, {'process CPU' if a.clock == 'cpu' else 'wall'} time")
    print(f"{'case(d,w,L)':16s} {'step':8s} {'method':6s} {'batch':>6s} {'step_ms':>10s} {'particles/s':>12s} "
          f"{'GF/step':>9s} {'GFLOP/s':>9s} {'gemm_ms':>10s} {'step/gemm':>9s} {'n_gemm':>7s}")
    methods = [m for m in a.methods.split(",") if m]
    kinds = [k for k in a.kinds.split(",") if k]
    for ci, (d, width, depth, batch) in enumerate(CASES):
        if a.case and ci not in a.case:
            continue
        B = min(batch, a.max_batch)
        x = torch.randn(B, d, dtype=torch.float64)
        t = torch.tensor([0.5], dtype=torch.float64)
        for kind in kinds:
            if kind == "v+div":
                net = make_mlp(d + 1, width, depth, d)
                args = (x, t, torch.randn(B, d, dtype=torch.float64) / B, torch.randn(B, dtype=torch.float64) / B)
                steps = {"loop": velocity_loop, "vmap": velocity_vmap}
            else:
                net = make_mlp(d + 1, width, depth, 1)
                args = (x, t, torch.randn(B, dtype=torch.float64) / B, torch.randn(B, d, dtype=torch.float64) / B,
                        torch.randn(B, dtype=torch.float64) / B)
                steps = {"loop": energy_loop, "vmap": energy_vmap}
            for method in methods:
                if method == "vmap" and HAVE_VMAP is None:
                    print(f"# {kind} vmap: skipped (no functorch / torch.func)")
                    continue
                step = steps[method]
                if method == "vmap":
                    try:  # on a small slice, so that the check costs little
                        n = min(B, 64)
                        check_same_gradients(net, steps["loop"], step, tuple(z[:n] if z.dim() and z.shape[0] == B else z
                                                                             for z in args))
                    except Exception as e:  # noqa: BLE001  (report, do not abort the table)
                        print(f"# {kind} vmap: failed ({type(e).__name__}: {e})")
                        continue

                def fn():
                    zero_grads(net)
                    step(net, *args)

                ts = best_seconds(a.reps, fn)
                calls = recorded_gemms(fn)
                fl = gemm_flops(calls)
                tg = replay_seconds(calls, a.reps)
                name = f"({d},{width},{depth})"
                print(f"{name:16s} {kind:8s} {method:6s} {B:6d} {1e3 * ts:10.2f} {B / ts:12.4g} {fl * 1e-9:9.3f} "
                      f"{fl * 1e-9 / ts:9.2f} {1e3 * tg:10.2f} {ts / tg:9.2f} {len(calls):7d}", flush=True)
                print(f"RESULT impl=torch-{method} clock={a.clock} kind={kind} d={d} width={width} depth={depth} batch={B} "
                      f"step_s={ts:.6e} particles_per_s={B / ts:.6e} gflop_per_step={fl * 1e-9:.6e} "
                      f"gflops={fl * 1e-9 / ts:.4f} gemm_s={tg:.6e} step_over_gemm={ts / tg:.4f}", flush=True)


if __name__ == "__main__":
    main()
