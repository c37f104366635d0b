"""Exercises, section 2: the cut-down Value the exercise starts from, and the
operations you add to it, each with its backward rule. Run it to see the checks:

    python docs/snippets/exercise_value.py

The Value here is not the package's: it has only ``+`` and ``backward()``, as the
lecture's exercise hands it out. Everything else is yours to add.
"""
import math


# --8<-- [start:value]
class Value:
    """One number and its gradient, with + and backward() only."""

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None  # how to pass out.grad on to the inputs
        # The lecture keeps a set; a tuple keeps the order, so every run adds
        # the gradients in the same order and prints the same digits.
        self._prev = tuple(_children)
        self._op = _op

    def __repr__(self):
        return f"Value(data={self.data})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            # d(out)/d(self) = d(out)/d(other) = 1: + routes the gradient
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def backward(self):
        order, seen = [], set()

        def visit(v):  # topological order: every node after its inputs
            if id(v) not in seen:
                seen.add(id(v))
                for child in v._prev:
                    visit(child)
                order.append(v)
        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()
# --8<-- [end:value]


# --8<-- [start:exp]
def exp(self):
    """e ** x. Its derivative is e ** x again: the output itself."""
    out = Value(math.exp(self.data), (self,), "exp")

    def _backward():
        self.grad += out.data * out.grad
    out._backward = _backward
    return out


Value.exp = exp
# --8<-- [end:exp]


# --8<-- [start:log]
def log(self):
    """The natural log. d/dx log(x) = 1 / x."""
    out = Value(math.log(self.data), (self,), "log")

    def _backward():
        self.grad += out.grad / self.data
    out._backward = _backward
    return out


Value.log = log
# --8<-- [end:log]


# --8<-- [start:neg]
def __neg__(self):
    """-x. d(-x)/dx = -1: the gradient comes back with its sign flipped."""
    out = Value(-self.data, (self,), "neg")

    def _backward():
        self.grad += -out.grad
    out._backward = _backward
    return out


Value.__neg__ = __neg__
# --8<-- [end:neg]


# --8<-- [start:radd]
def __radd__(self, other):
    """other + self, when other is a plain number (sum() starts with 0 + ...)."""
    # + is symmetric. Write self + other: other + self would call __radd__ again
    return self + other


Value.__radd__ = __radd__
# --8<-- [end:radd]


# --8<-- [start:truediv]
def __truediv__(self, other):
    """self / other. d/dself = 1 / other, d/dother = -self / other**2."""
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data / other.data, (self, other), "/")

    def _backward():
        self.grad += out.grad / other.data
        other.grad += -self.data / other.data**2 * out.grad
    out._backward = _backward
    return out


Value.__truediv__ = __truediv__
# --8<-- [end:truediv]


# --8<-- [start:ops]
def value_and_grad(op, *inputs):
    """op on fresh Values of ``inputs``, backpropagated: [value, grads...]."""
    xs = [Value(x) for x in inputs]
    out = op(*xs)
    out.backward()
    return [out.data] + [x.grad for x in xs]


# What each op must give at one point: its value, then d(out)/d(input)
OP_CHECKS = [
    ("exp", lambda x: x.exp(), [0.5], [math.exp(0.5), math.exp(0.5)]),
    ("log", lambda x: x.log(), [4.0], [math.log(4.0), 1 / 4.0]),
    ("negation", lambda x: -x, [3.0], [-3.0, -1.0]),
    ("0 + x (__radd__)", lambda x: 0 + x, [3.0], [3.0, 1.0]),
    ("x / y", lambda x, y: x / y, [3.0, 4.0], [3 / 4, 1 / 4, -3 / 16]),
]
# --8<-- [end:ops]


if __name__ == "__main__":
    from exercise_check import check

    for name, op, inputs, expected in OP_CHECKS:
        check(name, lambda: value_and_grad(op, *inputs), expected)
