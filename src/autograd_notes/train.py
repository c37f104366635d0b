"""Losses and a gradient-descent loop that keeps its history.

A loss for ``train`` is a function ``loss(model, X, y) -> (loss, accuracy)``:
``sse_loss`` is the lecture's, ``max_margin`` is micrograd's demo's.
"""

import math
from numbers import Real
from typing import NamedTuple

from .engine import Value


class Record(NamedTuple):
    """One step of training: the loss and accuracy of the model *before* that step's update."""

    step: int
    loss: float
    accuracy: float | None
    lr: float


# --8<-- [start:sse]
def sse(ypred, ys):
    """Sum of squared errors, ``sum((yp - y)**2)``: the loss the lecture calls "mean squared error".

    The lecture sums and never divides by the number of examples; this is that sum.
    Use ``mse`` for the mean.
    """
    _same_length(ypred, ys)
    _one_output_each(ypred)
    return sum((yp - yt) ** 2 for yt, yp in zip(ys, ypred))
# --8<-- [end:sse]


def mse(ypred, ys):
    """Mean squared error: ``sse(ypred, ys) / len(ys)``."""
    return sse(ypred, ys) * (1.0 / len(ys))


def sse_loss(model, X, y):
    """The lecture's loss for ``train``: ``sse`` of the model's outputs on every example.

    Returns:
        ``(loss, accuracy)``; accuracy is the fraction of examples whose output has the sign of the target.
    """
    _same_length(X, y)
    ypred = [model(x) for x in X]
    return sse(ypred, y), _accuracy(y, ypred)


# --8<-- [start:max_margin]
def max_margin(model, X, y, alpha=1e-4):
    r"""micrograd's demo loss: mean hinge loss plus L2 regularisation, for labels -1 / +1.

    $$ L = \frac{1}{n} \sum_i \max(0,\ 1 - y_i s_i) + \alpha \sum_p p^2 $$

    where $s_i$ is the model's score for example $i$. A point costs nothing once it is
    on the right side with a margin of 1. The float operations happen in the same
    order as in micrograd's demo, so the loss matches it to the last bits.

    Returns:
        ``(loss, accuracy)``: the loss as a Value, and the fraction of points whose score has the sign of the label.
    """
    _same_length(X, y)
    scores = [model(x) for x in X]
    _one_output_each(scores)
    hinges = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(hinges) * (1.0 / len(hinges))
    params = model.parameters()
    reg_loss = alpha * Value.dot(params, params)  # sum(p * p for p in params), as one node
    return data_loss + reg_loss, _accuracy(y, scores)
# --8<-- [end:max_margin]


def sgd_step(model, lr):
    """One step of gradient descent: move every parameter against its gradient, ``p -= lr * p.grad``."""
    for p in model.parameters():
        p.data -= lr * p.grad


# --8<-- [start:train]
def train(model, X, y, steps, lr=0.05, loss=sse_loss, zero_grad=True, callback=None):
    """Full-batch gradient descent for ``steps`` steps; returns the history.

    Each step: forward (``loss(model, X, y)``), record, zero the gradients,
    backward, update every parameter with ``p -= lr * p.grad``.

    Args:
        model: a ``Module`` (e.g. an ``MLP``).
        X: the inputs, one per example.
        y: the targets, one per example.
        steps: how many steps to take.
        lr: the learning rate: a number, or a function of the step number ``k``
            (micrograd's demo uses ``lambda k: 1.0 - 0.9 * k / 100``).
        loss: ``loss(model, X, y) -> (loss, accuracy)``, e.g. ``sse_loss`` or ``max_margin``.
            A function that returns just the loss Value is fine too (accuracy is then ``None``).
        zero_grad: set to ``False`` to reproduce the lecture's bug: gradients then
            pile up from step to step instead of starting from zero.
        callback: called as ``callback(record)`` after each forward pass, before the update,
            so ``model`` is still the one that produced ``record.loss``.

    Returns:
        A list of ``Record(step, loss, accuracy, lr)``, one per step.
    """
    rate = _schedule(lr)
    if not isinstance(steps, int) or isinstance(steps, bool) or steps < 0:
        raise ValueError(f"steps must be an int >= 0, got {steps!r}")
    history = []
    for k in range(steps):
        total, acc = _evaluate(loss, model, X, y)  # forward
        record = Record(k, total.data, acc, rate(k))
        history.append(record)
        if callback is not None:
            callback(record)
        if zero_grad:
            model.zero_grad()  # zero_grad
        total.backward()  # backward
        sgd_step(model, record.lr)  # update
    return history
# --8<-- [end:train]


def _evaluate(loss, model, X, y):
    out = loss(model, X, y)
    total, acc = out if isinstance(out, tuple) else (out, None)
    if not isinstance(total, Value):
        kind = type(total).__name__
        raise TypeError(f"the loss function must return a Value (or a (Value, accuracy) pair), got {kind}")
    return total, acc


def _schedule(lr):
    """Turn a number or a function of the step into a function of the step that checks its result."""
    if callable(lr):
        return lambda k: _rate(lr(k), f"lr({k})")
    _rate(lr, "lr")
    return lambda k: float(lr)


def _rate(lr, where):
    """A learning rate as a finite float, or a clear error."""
    if not isinstance(lr, Real) or isinstance(lr, bool):
        raise TypeError(f"lr must be a number or a function of the step number, got {type(lr).__name__} {lr!r}")
    if not math.isfinite(lr):
        raise ValueError(f"{where} is {lr!r}, but a learning rate must be a finite number (e.g. 0.05)")
    return float(lr)


def _accuracy(ys, scores):
    """The fraction of examples where the score and the target are on the same side of 0."""
    hits = [(yt > 0) == (s.data > 0) for yt, s in zip(ys, scores)]
    return sum(hits) / len(hits)


def _one_output_each(outputs):
    """These losses compare one number per example with its target: a list per example is a clear error."""
    for out in outputs:
        if not isinstance(out, Value):
            n = f" of {len(out)} outputs" if isinstance(out, (list, tuple)) else ""
            raise TypeError(
                f"the model gives a {type(out).__name__}{n} per example, but this loss needs one Value per "
                f"example: make the last layer a single neuron (e.g. MLP(3, [4, 4, 1]))"
            )


def _same_length(a, b):
    if len(a) != len(b):
        raise ValueError(f"need one target per example, got {len(a)} examples and {len(b)} targets")
    if not a:
        raise ValueError("need at least one example, got none")


__all__ = ["Record", "sse", "mse", "sse_loss", "max_margin", "sgd_step", "train"]
