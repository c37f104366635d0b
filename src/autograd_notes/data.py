"""Small data sets: the lecture's four examples and a pure-Python ``make_moons``."""

import math
import random
from numbers import Real


def lecture_dataset():
    """The lecture's tiny data set (chapter 15): four examples of three inputs, and their targets.

    Returns:
        ``(xs, ys)``: ``xs`` is a list of 4 lists of 3 floats, ``ys`` is ``[1.0, -1.0, -1.0, 1.0]``.
        Fresh lists on every call, so changing them is safe.
    """
    xs = [
        [2.0, 3.0, -1.0],
        [3.0, -1.0, 0.5],
        [0.5, 1.0, 1.0],
        [1.0, 1.0, -1.0],
    ]
    ys = [1.0, -1.0, -1.0, 1.0]
    return xs, ys


def make_moons(n_samples=100, noise=0.1, seed=1337):
    """Two interleaving half circles in the plane, labelled -1 and +1.

    The upper moon is the half circle of radius 1 around (0, 0), label -1.
    The lower moon is the same half circle turned upside down and moved to
    (1, 0.5), label +1. Each point gets Gaussian noise of standard deviation
    ``noise`` on both coordinates, then the points are shuffled.

    Args:
        n_samples: how many points in total (at least 2); the upper moon gets ``n_samples // 2``.
        noise: standard deviation of the Gaussian noise (0 for points exactly on the circles).
        seed: seed of the ``random.Random`` that draws the noise and the order: same seed, same data.

    Returns:
        ``(X, y)``: ``X`` a list of ``[x, y]`` float pairs, ``y`` a list of ``-1`` / ``+1`` ints.
    """
    if not isinstance(n_samples, int) or isinstance(n_samples, bool) or n_samples < 2:
        raise ValueError(f"make_moons needs n_samples to be an int >= 2 (a point per moon at least), got {n_samples!r}")
    if not isinstance(noise, Real) or isinstance(noise, bool) or not (0 <= noise < math.inf):
        raise ValueError(f"make_moons needs noise to be a finite number >= 0 (a standard deviation), got {noise!r}")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValueError(f"make_moons needs an int seed so that the data is the same on every run, got {seed!r}")
    rng = random.Random(seed)
    n_up = n_samples // 2
    points = [(x, y, -1) for x, y in _half_circle(n_up)]
    points += [(1.0 - x, 0.5 - y, 1) for x, y in _half_circle(n_samples - n_up)]
    rng.shuffle(points)
    X = [[x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise)] for x, y, _ in points]
    y = [label for _, _, label in points]
    return X, y


def _half_circle(m):
    """``m`` points spread evenly over the upper half of the unit circle, from angle 0 to pi."""
    step = math.pi / (m - 1) if m > 1 else 0.0
    return [(math.cos(k * step), math.sin(k * step)) for k in range(m)]
