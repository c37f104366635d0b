"""How fast is autograd_notes next to micrograd? One run, three tables.

    pip install -r benchmarks/requirements.txt   # micrograd, only for this script
    python benchmarks/bench_engine.py            # or: make bench

(a) The case a reader meets: micrograd's own demo network (a Neuron, Layer and MLP written
    against ``Value``, its max-margin loss with L2, its SGD update; written out below in
    our words, the same computation), run once over micrograd's ``Value`` and once over
    ours, with the same seed and data. The losses must agree to 1e-9 after 10 steps, or the
    script exits with status 1.
(b) The package's own loop: ``train()`` with ``MLP(..., style="micrograd")`` and
    ``max_margin`` (one fused ``dot`` node per neuron), next to micrograd's nn on its demo.
(c) ``backward()`` through a chain of N nodes, up to 1,000,000: the time per node stays flat
    (linear time), nothing recurses (micrograd's recursive sort stops near 1,000), and the
    memory comes back as soon as the root is dropped.

Timings: Python's garbage collector stays on, as users run it. The engines take turns
(micrograd, ours, micrograd, ours, ...), each turn a fresh model and a few steps, after
``gc.collect()`` so that no engine pays for the other's garbage. A turn's figure is its
mean time per step (the collector's pauses included); the table shows the median turn.
"""

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import time
import weakref

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
CHAINS = (1_000, 10_000, 100_000, 1_000_000)


def lr(k):
    return 1.0 - 0.9 * k / 100  # the demo's learning rate


# ---- (a) micrograd's demo network, for any Value class


def demo_network(value):
    """The demo's MLP class, built on ``value``: every neuron sums ``w_i * x_i`` onto its bias."""

    class Neuron:
        def __init__(self, nin, nonlin=True):
            self.w = [value(random.uniform(-1, 1)) for _ in range(nin)]
            self.b = value(0)
            self.nonlin = nonlin

        def __call__(self, x):
            act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)  # one * and one + per input
            return act.relu() if self.nonlin else act

        def parameters(self):
            return self.w + [self.b]

    class Layer:
        def __init__(self, nin, nout, **kwargs):
            self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

        def __call__(self, x):
            out = [n(x) for n in self.neurons]
            return out[0] if len(out) == 1 else out

        def parameters(self):
            return [p for n in self.neurons for p in n.parameters()]

    class Net:
        def __init__(self, nin, nouts):
            sizes = [nin] + nouts
            last = len(nouts) - 1
            self.layers = [Layer(sizes[i], sizes[i + 1], nonlin=i != last) for i in range(len(nouts))]

        def __call__(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

        def parameters(self):
            return [p for layer in self.layers for p in layer.parameters()]

        def zero_grad(self):
            for p in self.parameters():
                p.grad = 0

    return Net


def demo_step(value, model, X, y, k):
    """One step of the demo: forward (max-margin loss + L2), zero_grad, backward, update."""
    inputs = [[value(a) for a in row] for row in X]
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


ENGINES = {"micrograd": mg_engine.Value, "autograd-notes": Value}


def demo_model(engine):
    random.seed(SEED)
    return demo_network(ENGINES[engine])(2, SIZES)


def demo_turn(engine, X, y, steps):
    """(wall, CPU) seconds per step, the mean over ``steps`` steps after one warm-up step."""
    value, model = ENGINES[engine], demo_model(engine)
    demo_step(value, model, X, y, 0)
    gc.collect()
    t, c = time.perf_counter(), time.process_time()
    for k in range(1, steps + 1):
        demo_step(value, model, X, y, k)
    return (time.perf_counter() - t) / steps, (time.process_time() - c) / steps


def demo_parity(X, y, steps):
    """Both engines side by side from the same weights: the largest |loss difference| over ``steps`` steps."""
    a, b = demo_model("micrograd"), demo_model("autograd-notes")
    if [float(p.data) for p in a.parameters()] != [p.data for p in b.parameters()]:
        return float("inf")
    return max(abs(demo_step(mg_engine.Value, a, X, y, k) - demo_step(Value, b, X, y, k)) for k in range(steps))


# ---- (b) the package's own nn and train(), next to micrograd's nn


def nn_turn(engine, X, y, steps):
    """(wall, CPU) seconds per step of ``train()`` (ours) or of the demo over micrograd's own nn."""
    random.seed(SEED)
    if engine == "autograd-notes":
        model = MLP(2, SIZES, style="micrograd")
        loss = lambda m, X, y: max_margin(m, X, y, alpha=ALPHA)  # noqa: E731
        train(model, X, y, 1, lr=lr, loss=loss)  # warm-up
        gc.collect()
        t, c = time.perf_counter(), time.process_time()
        train(model, X, y, steps, lr=lr, loss=loss)
    else:
        model = mg_nn.MLP(2, SIZES)
        demo_step(mg_engine.Value, model, X, y, 0)
        gc.collect()
        t, c = time.perf_counter(), time.process_time()
        for k in range(1, steps + 1):
            demo_step(mg_engine.Value, model, X, y, k)
    return (time.perf_counter() - t) / steps, (time.process_time() - c) / steps


def alternate(turn, X, y, steps, rounds):
    """Median (wall, CPU) per step of each engine over ``rounds`` alternating turns."""
    runs = {name: [] for name in ENGINES}
    for _ in range(rounds):
        for name in ENGINES:
            runs[name].append(turn(name, X, y, steps))
    return {name: tuple(statistics.median(r[i] for r in rs) for i in (0, 1)) for name, rs in runs.items()}


# ---- (c) backward through a deep chain


def chain_backward(value_cls, n):
    """Build ``x.relu().relu()...`` (n links), time ``backward()``, drop the root; returns a dict of figures."""
    gc.collect()
    blocks = sys.getallocatedblocks()
    x = value_cls(1.0)
    v = x
    for _ in range(n):
        v = v.relu()
    built = sys.getallocatedblocks() - blocks
    probe = weakref.ref(next(iter(v._prev)))  # the node just below the root
    t = time.perf_counter()
    try:
        v.backward()
    except RecursionError:
        return {"time": "RecursionError"}
    seconds = time.perf_counter() - t
    assert x.grad == 1.0, "the gradient did not reach the leaf"
    gc_was_on = gc.isenabled()
    gc.disable()  # what comes back now comes back through reference counting alone
    del v
    left = sys.getallocatedblocks() - blocks
    freed = probe() is None
    if gc_was_on:
        gc.enable()
    return {"time": seconds, "built": built, "left": left, "freed": freed}


# ---- report


def _positive(s):
    n = int(s)
    if n < 1:
        raise argparse.ArgumentTypeError(f"need an int >= 1, got {n}")
    return n


def ms(t):
    return f"{t * 1e3:,.1f}" if isinstance(t, float) else t


def table(title, figures, note):
    mg, us = figures["micrograd"], figures["autograd-notes"]
    print(title)
    print(f"    {'ms per step':<16}{'micrograd':>12}{'autograd-notes':>16}{'speed-up':>10}")
    for i, clock in enumerate(("wall", "CPU")):
        print(f"    {clock:<16}{ms(mg[i]):>12}{ms(us[i]):>16}{mg[i] / us[i]:>9.1f}x")
    print(f"    {note}")
    print()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=_positive, default=5, help="alternating turns per engine (default 5)")
    p.add_argument("--steps", type=_positive, default=3, help="timed training steps per turn (default 3)")
    p.add_argument("--parity-steps", type=_positive, default=10, help="steps over which the losses are compared")
    p.add_argument("--quick", action="store_true", help="2 rounds of 2 steps, and no 1,000,000-node chain")
    args = p.parse_args(argv)
    rounds, steps = (2, 2) if args.quick else (args.rounds, args.steps)
    X, y = make_moons(N_SAMPLES, NOISE, seed=SEED)

    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
          f"{os.cpu_count()} CPUs{load}; micrograd {getattr(micrograd, '__version__', '0.1.0')}; GC on throughout")
    print(f"{N_SAMPLES} moons points, MLP(2, {SIZES}) = 337 parameters, max-margin loss + L2, "
          f"{rounds} alternating turns of {steps} steps per engine; median turn")
    print()

    diff = demo_parity(X, y, args.parity_steps)
    ok = diff < TOLERANCE
    table("(a) micrograd's demo network code, over each engine's Value", alternate(demo_turn, X, y, steps, rounds),
          f"same weights, same data: max |loss difference| over {args.parity_steps} steps = {diff:.2g} "
          f"({'OK' if ok else 'FAIL'}: limit {TOLERANCE:g})")
    table("(b) each package's own nn: micrograd's nn.MLP vs our MLP + train() (one dot node per neuron)",
          alternate(nn_turn, X, y, steps, rounds), "our train() is the lecture's loop: forward, zero_grad, "
          "backward, update; no garbage-collector code")

    print("(c) backward() through a chain of N relu nodes (GC on; freed = gone by reference counting alone)")
    print(f"    {'N':>11}{'micrograd ms':>15}{'ours ms':>10}{'ns per node':>13}{'blocks built':>14}"
          f"{'left after del':>16}  freed")
    for n in CHAINS:
        if args.quick and n >= 1_000_000:
            continue
        theirs = chain_backward(mg_engine.Value, n)["time"] if n <= 1_000 else "-"
        ours = chain_backward(Value, n)
        print(f"    {n:>11,}{ms(theirs):>15}{ms(ours['time']):>10}{ours['time'] / n * 1e9:>13.0f}"
              f"{ours['built']:>14,}{ours['left']:>16,}  {'yes' if ours['freed'] else 'NO'}")
    if not ok:
        print(f"FAIL: the engines disagree by {diff:.3g} (more than {TOLERANCE:g})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
