"""Neurons, layers and multi-layer perceptrons built from Values.

Two recipes, chosen by the ``style`` argument:

- ``"lecture"``: tanh on every neuron, weights and bias drawn from U(-1, 1),
  as in the lecture (chapter 14).
- ``"micrograd"``: ReLU on hidden layers, a linear last layer, bias 0, as in
  micrograd's ``nn.py``. With the same seed it draws the same weights.
"""

import random
from numbers import Integral

from .engine import Value

STYLES = ("lecture", "micrograd")


# --8<-- [start:module]
class Module:
    """Anything with parameters."""

    def parameters(self):
        return []

    def zero_grad(self):
        """Set the gradient of every parameter to 0 (do this before each ``backward()``)."""
        for p in self.parameters():
            p.grad = 0.0
# --8<-- [end:module]


# --8<-- [start:neuron]
class Neuron(Module):
    """``act(w . x + b)`` for ``nin`` inputs; ``act`` is ``"tanh"``, ``"relu"`` or ``"linear"``."""

    def __init__(self, nin, act="tanh", bias="random", rng=random):
        nin = _count(nin, "a neuron needs nin, its number of inputs,")
        _check(act, bias)
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(rng.uniform(-1, 1) if bias == "random" else 0.0)
        self.act = act

    def __call__(self, x):
        if len(x) != len(self.w):
            raise ValueError(f"this neuron takes {len(self.w)} inputs, got {len(x)}")
        act = Value.dot(self.w, x, self.b)
        if self.act == "tanh":
            return act.tanh()
        return act.relu() if self.act == "relu" else act

    def parameters(self):
        return self.w + [self.b]

    def __repr__(self):
        return f"{_NAMES[self.act]}Neuron({len(self.w)})"
# --8<-- [end:neuron]


# --8<-- [start:layer]
class Layer(Module):
    """``nout`` neurons that all read the same ``nin`` inputs."""

    def __init__(self, nin, nout, **kwargs):
        nout = _count(nout, "a layer needs nout, its number of neurons,")
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"
# --8<-- [end:layer]


# --8<-- [start:mlp]
class MLP(Module):
    """A multi-layer perceptron: ``MLP(3, [4, 4, 1])`` maps 3 inputs through layers of 4, 4 and 1 neurons."""

    def __init__(self, nin, nouts, style="lecture", rng=random):
        if style not in STYLES:
            raise ValueError(f"unknown style {style!r}; choose one of {STYLES}")
        nin = _count(nin, "an MLP needs nin, its number of inputs,")
        if isinstance(nouts, Integral) or not hasattr(nouts, "__iter__"):
            raise TypeError(f"nouts must be a list of layer sizes, e.g. [4, 4, 1], got {nouts!r}")
        nouts = [_count(n, f"layer {i + 1} of nouts={nouts!r} needs a size") for i, n in enumerate(nouts)]
        if not nouts:
            raise ValueError("nouts must list at least one layer size, e.g. [4, 4, 1]")
        sizes = [nin] + nouts
        self.layers = []
        for i in range(len(nouts)):
            last = i == len(nouts) - 1
            if style == "lecture":
                kwargs = {"act": "tanh", "bias": "random"}
            else:
                kwargs = {"act": "linear" if last else "relu", "bias": "zero"}
            self.layers.append(Layer(sizes[i], sizes[i + 1], rng=rng, **kwargs))

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
# --8<-- [end:mlp]


_NAMES = {"tanh": "Tanh", "relu": "ReLU", "linear": "Linear"}


def _count(n, what):
    """A size: any integer (int, numpy.int64, ...) >= 1, as an int; otherwise a clear error."""
    if not isinstance(n, Integral) or isinstance(n, bool) or n < 1:
        raise ValueError(f"{what} as an int >= 1, got {type(n).__name__} {n!r}")
    return int(n)


def _check(act, bias):
    if act not in _NAMES:
        raise ValueError(f"unknown activation {act!r}; choose 'tanh', 'relu' or 'linear'")
    if bias not in ("random", "zero"):
        raise ValueError(f"unknown bias {bias!r}; choose 'random' (drawn from U(-1, 1)) or 'zero'")
