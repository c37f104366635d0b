"""How fast is autograd_notes next to micrograd? One run, one table.

    pip install -r benchmarks/requirements.txt   # micrograd, only for this script
    python benchmarks/bench_engine.py            # or: make bench

(a) One step of micrograd's moons demo (forward, zero_grad, backward, update) for both
    engines on the same data, from the same initial weights, with the demo's loss. The
    losses must agree to 1e-9 or the script exits with status 1.
(b) backward() through a chain of N nodes: micrograd's recursive topological sort hits
    Python's recursion limit near 1,000; the iterative one here does not.

Timings: time.perf_counter, warm-up steps first, the median of several repeats.
Python's cyclic garbage collector is part of what a user pays (every node's _backward
closure refers back to the node, so each step's graph is freed by the collector), so
(a) is measured twice: with the collector on, as users run it, and off (collected
between timed steps, outside the timing), the engine alone. Both engines always run
under the same collector setting.
"""

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import time

from autograd_notes import MLP, Value
from autograd_notes.data import make_moons
from autograd_notes.train import max_margin, train

try:
    import micrograd
    from micrograd import engine as mg_engine
    from micrograd import nn as mg_nn
except ImportError:
    sys.exit("this benchmark compares with micrograd: pip install -r benchmarks/requirements.txt (or make bench)")

SEED = 1337  # micrograd's demo seed: both nets start from the same weights
N_SAMPLES, NOISE = 100, 0.1  # the demo's data set
SIZES = [16, 16, 1]  # the demo's net: 337 parameters
ALPHA = 1e-4  # the demo's L2 weight
TOLERANCE = 1e-9  # largest |loss difference| allowed between the two engines
CHAINS = (500, 1_000, 100_000, 1_000_000)


def lr(k):
    return 1.0 - 0.9 * k / 100  # the demo's learning rate


# ---- (a) one training step of the moons demo, in each engine


def step_ours(model, X, y, k):
    loss, _ = max_margin(model, X, y, alpha=ALPHA)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr(k) * p.grad
    return loss.data


def step_micrograd(model, X, y, k):
    # the demo's loss, as its notebook computes it: inputs wrapped as Values, the same float operations
    inputs = [[mg_engine.Value(a) for a in row] for row in X]
    scores = [model(x) for x in inputs]
    hinges = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(hinges) * (1.0 / len(hinges))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    loss = data_loss + reg_loss
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr(k) * p.grad
    return loss.data


def new_model(engine):
    random.seed(SEED)
    return MLP(2, SIZES, style="micrograd") if engine == "ours" else mg_nn.MLP(2, SIZES)


STEPS = {"ours": step_ours, "micrograd": step_micrograd}


def time_steps(engine, X, y, repeats, warmup, gc_on):
    """Median (wall, CPU) seconds per step over ``repeats`` consecutive steps, after ``warmup`` steps."""
    step, model = STEPS[engine], new_model(engine)
    gc.enable()
    gc.collect()  # the other engine's garbage is not charged to this one
    wall, cpu = [], []
    for k in range(warmup + repeats):
        if not gc_on:
            gc.collect()  # outside the timing
            gc.disable()
        t, c = time.perf_counter(), time.process_time()
        step(model, X, y, k)
        dt, dc = time.perf_counter() - t, time.process_time() - c
        gc.enable()
        if k >= warmup:
            wall.append(dt)
            cpu.append(dc)
    return statistics.median(wall), statistics.median(cpu)


def time_train(X, y, steps):
    """Mean (wall, CPU) seconds per step of the package's own loop, ``autograd_notes.train.train``."""
    model = new_model("ours")
    gc.enable()
    gc.collect()
    t, c = time.perf_counter(), time.process_time()
    train(model, X, y, steps, lr=lr, loss=lambda m, X, y: max_margin(m, X, y, alpha=ALPHA))
    return (time.perf_counter() - t) / steps, (time.process_time() - c) / steps


def parity(X, y, steps):
    """Train both engines side by side; the largest |loss difference| over ``steps`` steps."""
    a, b = new_model("ours"), new_model("micrograd")
    if [p.data for p in a.parameters()] != [float(p.data) for p in b.parameters()]:
        return float("inf")
    return max(abs(step_ours(a, X, y, k) - step_micrograd(b, X, y, k)) for k in range(steps))


# ---- (b) backward through a deep chain


def chain(value_cls, n):
    nodes = [value_cls(1.0)]
    for _ in range(n):
        nodes.append(nodes[-1].relu())  # one node per link
    return nodes


def time_chain(value_cls, n, repeats):
    """Median seconds for ``root.backward()`` on a chain of ``n`` nodes, or the exception's name."""
    gc.collect()
    gc.disable()  # building a million cyclic nodes with the collector on mostly measures the collector
    nodes = chain(value_cls, n)
    try:
        times = []
        for _ in range(repeats):
            for v in nodes:  # gradients accumulate: start every repeat from zero, outside the timing
                v.grad = 0.0
            t = time.perf_counter()
            nodes[-1].backward()
            times.append(time.perf_counter() - t)
            assert nodes[0].grad == 1.0, "the gradient did not reach the leaf"
        return statistics.median(times)
    except RecursionError:
        return "RecursionError"
    finally:
        del nodes
        gc.enable()
        gc.collect()


# ---- report


def _positive(s):
    n = int(s)
    if n < 1:
        raise argparse.ArgumentTypeError(f"need an int >= 1, got {n}")
    return n


def ms(t):
    return f"{t * 1e3:,.1f}" if isinstance(t, float) else t


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=_positive, default=7, help="timed training steps per engine and GC setting")
    p.add_argument("--parity-steps", type=_positive, default=10, help="steps over which the losses are compared")
    p.add_argument("--quick", action="store_true", help="fewer repeats and no 1,000,000-node chain")
    args = p.parse_args(argv)
    repeats = 3 if args.quick else args.repeats
    X, y = make_moons(N_SAMPLES, NOISE, seed=SEED)

    load = ", load average %.1f" % os.getloadavg()[0] if hasattr(os, "getloadavg") else ""
    print(f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
          f"{os.cpu_count()} CPUs{load}; micrograd {getattr(micrograd, '__version__', '0.1.0')}")
    print()
    print(f"(a) one step of the moons demo: {N_SAMPLES} points, MLP(2, {SIZES}) = "
          f"{len(new_model('ours').parameters())} parameters, max-margin loss + L2")
    print("    forward + zero_grad + backward + update; median of", repeats, "steps after 2 warm-up steps;")
    print("    wall = time.perf_counter, CPU = time.process_time (this process only: steadier on a busy machine)")
    print(f"    {'ms per step':<28}{'micrograd':>12}{'autograd-notes':>16}{'speed-up':>10}")
    for gc_on, name in ((True, "GC on (as users run it)"), (False, "GC off (engine alone)")):
        mg = time_steps("micrograd", X, y, repeats, 2, gc_on)
        us = time_steps("ours", X, y, repeats, 2, gc_on)
        if gc_on:
            mg_on = mg
        for i, clock in enumerate(("wall", "CPU")):
            label = f"{name}, {clock}"
            print(f"    {label:<28}{ms(mg[i]):>12}{ms(us[i]):>16}{mg[i] / us[i]:>9.1f}x")
    wall, cpu = time_train(X, y, repeats)
    print(f"    our train() loop (GC paused per step, graph released): {ms(wall)} wall, {ms(cpu)} CPU per step (mean of {repeats}): "
          f"{mg_on[0] / wall:.1f}x micrograd's wall, {mg_on[1] / cpu:.1f}x its CPU, both with GC on")
    diff = parity(X, y, args.parity_steps)
    ok = diff < TOLERANCE
    print(f"    same weights, same data: max |loss difference| over {args.parity_steps} steps = {diff:.2g} "
          f"({'OK' if ok else 'FAIL'}: limit {TOLERANCE:g})")
    print()
    print("(b) backward() through a chain of N relu nodes, ms (median; GC off while building and timing)")
    print(f"    {'N':>11}{'micrograd':>18}{'autograd-notes':>16}")
    for n in CHAINS:
        if args.quick and n >= 1_000_000:
            continue
        reps = 3 if n >= 1_000_000 else 5
        theirs = time_chain(mg_engine.Value, n, reps) if n <= 1_000 else "-"
        ours = time_chain(Value, n, reps)
        print(f"    {n:>11,}{ms(theirs):>18}{ms(ours):>16}")
    if not ok:
        print(f"FAIL: the engines disagree by {diff:.3g} (more than {TOLERANCE:g})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
