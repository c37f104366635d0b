r"""Check gradients against central differences.

The slope of ``f`` along input ``i`` is estimated by nudging that input both ways:

$$ \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h} $$

The error of this estimate shrinks like $h^2$ (the one-sided $(f(x+h) - f(x))/h$ only like $h$).
"""

import math
from collections.abc import Mapping
from numbers import Real

from .engine import Value


def numerical_grad(f, xs, h=1e-6):
    """Central-difference estimate of the gradient of ``f`` at the point ``xs``.

    Args:
        f: a function of ``len(xs)`` floats, returning a float or a ``Value``.
        xs: the point, a sequence of numbers.
        h: the size of the nudge.

    Returns:
        A list of floats, one slope per input.
    """
    if not h > 0:
        raise ValueError(f"h must be a positive step, got {h!r}")
    xs = [_float(x, i) for i, x in enumerate(xs)]
    grads = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += h
        down[i] -= h
        grads.append((_scalar(f(*up)) - _scalar(f(*down))) / (2 * h))
    return grads


def gradcheck(f, inputs, tol=1e-6, h=1e-6):
    """Compare ``backward()``'s gradient of ``f`` with central differences; raise if they differ.

    Args:
        f: a function of Values returning one Value, e.g. ``lambda a, b: a * b + b.tanh()``.
        inputs: the point: a sequence of numbers (inputs are then called ``x0, x1, ...``), or a
            dict ``{name: number}``, in which case ``f`` is called with keyword arguments.
        tol: the largest error allowed, measured as ``|analytic - numeric| / max(1, |analytic|, |numeric|)``
            (absolute for small gradients, relative for large ones).
        h: the nudge for the central differences.

    Returns:
        The largest error over all inputs.

    Raises:
        AssertionError: naming the input and both numbers, when an error exceeds ``tol``.
    """
    names, point, call = _unpack(f, inputs)
    leaves = [Value(x, label=name) for name, x in zip(names, point)]
    out = call(leaves)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck needs f to return a Value built from its inputs, got {type(out).__name__} {out!r}")
    out.backward()
    numeric = numerical_grad(lambda *xs: call([Value(x) for x in xs]), point, h)
    worst = 0.0
    for name, x, leaf, num in zip(names, point, leaves, numeric):
        err = abs(leaf.grad - num) / max(1.0, abs(leaf.grad), abs(num))
        if not err <= tol:
            raise AssertionError(
                f"gradient of {name} (at {name} = {x!r}) is wrong: backward() gives {leaf.grad!r}, "
                f"central differences give {num!r} (error {err:.3g} > tol {tol:g}); "
                f"check the _backward of the ops that {name} flows through"
            )
        worst = max(worst, err)
    return worst


def _unpack(f, inputs):
    """Names, float values and a caller for ``f`` (positional or keyword)."""
    if isinstance(inputs, Mapping):
        names = [str(k) for k in inputs]
        point = [_float(v, k) for k, v in inputs.items()]
        call = lambda vs: f(**dict(zip(names, vs)))  # noqa: E731
    else:
        point = [_float(v, i) for i, v in enumerate(inputs)]
        names = [f"x{i}" for i in range(len(point))]
        call = lambda vs: f(*vs)  # noqa: E731
    if not point:
        raise ValueError("gradcheck needs at least one input")
    return names, point, call


def _float(x, where):
    if isinstance(x, Value):
        x = x.data
    if isinstance(x, bool) or not isinstance(x, Real) or not math.isfinite(x):
        raise TypeError(f"input {where}: expected a finite int or float, got {type(x).__name__} {x!r}")
    return float(x)


def _scalar(y):
    if isinstance(y, Value):
        return y.data
    if isinstance(y, Real) and not isinstance(y, bool):
        return float(y)
    raise TypeError(f"f must return a float or a Value, got {type(y).__name__} {y!r}")
