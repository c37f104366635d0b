"""micrograd's moons demo with this package: ``python -m autograd_notes.demo``.

A two-layer ReLU net learns to separate two interleaving half circles with
micrograd's max-margin loss and a learning rate that decays from 1.0 to 0.1.
"""

import argparse
import random

from .data import make_moons
from .nn import MLP
from .train import max_margin, train

SEED = 1337  # micrograd's demo seeds its generators with 1337; the same seed draws the same weights here
N_SAMPLES = 100  # the demo's data set size: 50 points per moon
NOISE = 0.1  # standard deviation of the noise: the moons stay separable, but not by a straight line
SIZES = [16, 16, 1]  # two hidden layers of 16 ReLU neurons, one linear output: 337 parameters
STEPS = 100  # the demo's number of full-batch steps
ALPHA = 1e-4  # weight of the L2 penalty in the loss: keeps the weights small


def lr(k, steps=STEPS):
    """The demo's learning rate at step ``k`` of ``steps``: ``1.0 - 0.9 * k / steps``, from 1.0 down towards 0.1."""
    return 1.0 - 0.9 * k / steps


def run(steps=STEPS, seed=SEED, n_samples=N_SAMPLES, noise=NOISE, callback=None):
    """Train the demo's net on the moons; returns ``(model, history, (X, y))``.

    Args:
        steps: how many steps of gradient descent.
        seed: seeds both the data (``make_moons``) and the initial weights.
        n_samples: how many points, passed to ``make_moons``.
        noise: the noise of the points, passed to ``make_moons``.
        callback: passed to ``train``: called with each step's record (before its update).
    """
    X, y = make_moons(n_samples, noise, seed=seed)
    model = MLP(2, SIZES, style="micrograd", rng=random.Random(seed))
    history = train(
        model, X, y, steps,
        lr=lambda k: lr(k, steps),  # with 100 steps, exactly micrograd's schedule
        loss=lambda m, X, y: max_margin(m, X, y, alpha=ALPHA),
        callback=callback,
    )
    return model, history, (X, y)


def main(argv=None):
    """Command line entry point: prints ``step k loss ..., accuracy ...%`` and the final result."""
    p = argparse.ArgumentParser(prog="python -m autograd_notes.demo", description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=_count, default=STEPS, help=f"steps of gradient descent (default {STEPS})")
    p.add_argument("--seed", type=int, default=SEED, help=f"seed of the data and the weights (default {SEED})")
    args = p.parse_args(argv)

    def show(r):
        print(f"step {r.step} loss {r.loss:.6f}, accuracy {r.accuracy * 100:.1f}%", flush=True)

    model, history, (X, y) = run(args.steps, args.seed, callback=show)
    total, acc = max_margin(model, X, y, alpha=ALPHA)
    n = len(model.parameters())
    print(f"final: {n} parameters, {args.steps} steps, loss {total.data:.6f}, accuracy {acc * 100:.1f}%")
    return 0


def _count(s):
    n = int(s)
    if n < 0:
        raise argparse.ArgumentTypeError(f"--steps must be >= 0, got {n}")
    return n


if __name__ == "__main__":
    raise SystemExit(main())
