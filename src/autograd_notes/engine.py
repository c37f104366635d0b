"""A scalar autograd engine: the Value class and its derivative rules.

Every primitive op has the same three steps: compute ``out``, say how the
gradient of ``out`` flows back to its inputs, return ``out``.
Derived ops (-, /, reflected forms) are one-liners over the primitives:
``a / b`` is ``a * b ** -1``, as in the lecture.

| op          | forward            | local derivative                         |
|-------------|--------------------|------------------------------------------|
| a + b       | a + b              | 1, 1                                     |
| a * b       | a * b              | b, a                                     |
| a ** k      | a^k                | k a^(k-1)   (and a^k log a for a Value k) |
| exp(a)      | e^a                | e^a                                      |
| log(a)      | ln a               | 1/a                                      |
| tanh(a)     | tanh a             | 1 - tanh^2 a                             |
| sigmoid(a)  | 1 / (1 + e^-a)     | s (1 - s)                                |
| relu(a)     | max(0, a)          | 1 if a > 0 else 0                        |
| dot(w, x, b)| b + sum w_i x_i    | x_i for w_i, w_i for x_i, 1 for b        |
"""

import math
from numbers import Real


def _number(x, where):
    """Turn an int or float into a finite float; reject anything else with a clear message."""
    if not isinstance(x, Real) or isinstance(x, bool):
        raise TypeError(
            f"{where}: expected an int or a float, got {type(x).__name__} {x!r}; "
            f"convert it first, e.g. Value(float(x))"
        )
    try:
        x = float(x)
    except OverflowError:  # an int beyond the float range
        raise OverflowError(f"{where}: this int is too large for a float (floats stop at about 1.8e308)") from None
    if math.isfinite(x):
        return x
    if math.isnan(x):
        raise ValueError(f"{where} is nan (not a number), but a Value must hold a finite number; find its source")
    raise OverflowError(
        f"{where} is {x}, but a Value must hold a finite number (floats stop at about 1.8e308); "
        f"keep the numbers smaller"
    )


def _pow(a, k):
    """``a ** k`` for floats, with a clear message when it overflows."""
    try:
        return a**k
    except OverflowError:
        raise OverflowError(
            f"{a:g} ** {k:g} overflows a float (floats stop at about 1.8e308); keep the numbers smaller"
        ) from None


class Value:
    """A scalar that remembers the ops that made it, so gradients can flow back.

    Args:
        data: the number (an int or a float; stored as a float).
        label: an optional name, shown in graph drawings.
    """

    __slots__ = ("data", "grad", "_backward", "_prev", "_op", "label")

    # --8<-- [start:init]
    def __init__(self, data, _children=(), _op="", label=""):
        if type(data) is not float or data - data != 0.0:  # not a finite float
            data = _number(data, f"the result of {_op}" if _op else "Value(data)")
        self.data = data
        self.grad = 0.0
        self._backward = _noop
        self._prev = _children  # the inputs, in operand order
        self._op = _op
        self.label = label
    # --8<-- [end:init]

    # --8<-- [start:repr]
    def __repr__(self):
        return f"Value(data={self.data!r}, grad={self.grad!r})"
    # --8<-- [end:repr]

    # ---- primitive ops: compute out, say how gradients flow back, return out

    # --8<-- [start:add]
    def __add__(self, other):
        other = other if isinstance(other, Value) else _wrap(other, "+")
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out
    # --8<-- [end:add]

    # --8<-- [start:mul]
    def __mul__(self, other):
        other = other if isinstance(other, Value) else _wrap(other, "*")
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out
    # --8<-- [end:mul]

    def __pow__(self, other):
        a = self.data
        if isinstance(other, Value):
            if a <= 0.0:
                raise ValueError(
                    f"Value ** Value needs a positive base, got {a:g}: the gradient with respect to the "
                    f"exponent is log(base) * out; use a plain number as the exponent instead"
                )
            k, children, op = other.data, (self, other), "**"
        else:
            k, children, op = _number(other, "the exponent in Value ** k"), (self,), f"**{other}"
        if a == 0.0 and k < 0:
            raise ZeroDivisionError(f"0 ** {k:g} divides by zero (x / 0 is x * 0 ** -1); keep the divisor away from 0")
        if a < 0.0 and not k.is_integer():
            raise ValueError(
                f"{a:g} ** {k:g}: a negative base to a fractional power is not a real number; "
                f"keep the base positive (e.g. use abs or exp/log)"
            )
        out = Value(_pow(a, k), children, op)

        def _backward():
            if a == 0.0 and 0.0 < k < 1.0:
                raise ZeroDivisionError(f"the derivative of x ** {k:g} at x = 0 is infinite")
            self.grad += (k * _pow(a, k - 1.0) if k else 0.0) * out.grad
            if len(children) == 2:  # the exponent is a Value too
                other.grad += out.data * math.log(a) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        x = self.data
        if x > 709.782712893384:
            raise OverflowError(f"exp({x:g}) overflows a float (the largest is exp(709.78)); scale the input down")
        out = Value(math.exp(x), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def log(self):
        x = self.data
        if x <= 0.0:
            raise ValueError(f"log({x:g}): log needs a positive input; add a small epsilon or clamp it")
        out = Value(math.log(x), (self,), "log")

        def _backward():
            self.grad += out.grad / x
        out._backward = _backward
        return out

    # --8<-- [start:tanh]
    def tanh(self):
        t = math.tanh(self.data)  # math.tanh saturates at +-1: no overflow
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1.0 - t * t) * out.grad
        out._backward = _backward
        return out
    # --8<-- [end:tanh]

    def sigmoid(self):
        x = self.data
        if x >= 0.0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:  # the same value, written so that exp never overflows
            e = math.exp(x)
            s = e / (1.0 + e)
        out = Value(s, (self,), "sigmoid")

        def _backward():
            self.grad += s * (1.0 - s) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Value(self.data if self.data > 0.0 else 0.0, (self,), "ReLU")

        def _backward():
            self.grad += (out.data > 0.0) * out.grad
        out._backward = _backward
        return out

    @staticmethod
    def dot(w, x, b=0.0):
        """``b + w[0]*x[0] + w[1]*x[1] + ...`` as one node: what a neuron computes before its activation.

        The same number as ``sum((wi*xi for wi, xi in zip(w, x)), b)``, added in the same order,
        but one node instead of ``2 * len(w)``. Plain numbers in ``x`` are constants.
        """
        w, x = tuple(w), tuple(x)  # copies: _backward must not see later edits to the caller's lists
        if len(w) != len(x):
            raise ValueError(f"dot needs as many weights as inputs, got {len(w)} and {len(x)}")
        for wi in w:
            if not isinstance(wi, Value):
                raise TypeError(f"dot: every weight must be a Value, got {type(wi).__name__} {wi!r}; wrap it: Value(w)")
        b = _wrap(b, "dot")
        xd = [xi.data if isinstance(xi, Value) else _number(xi, "an input of dot") for xi in x]
        acc = b.data
        for wi, xi in zip(w, xd):
            acc += wi.data * xi
        children = tuple(v for pair in zip(w, x) for v in pair if isinstance(v, Value)) + (b,)
        out = Value(acc, children, "dot")

        def _backward():
            g = out.grad
            for wi, xi in zip(w, x):
                if isinstance(xi, Value):
                    wi.grad += xi.data * g
                    xi.grad += wi.data * g
                else:
                    wi.grad += xi * g
            b.grad += g
        out._backward = _backward
        return out

    # ---- derived ops: one line each, over the primitives

    # --8<-- [start:derived]
    def __neg__(self):  # -self
        return self * -1.0

    def __radd__(self, other):  # other + self
        return _wrap(other, "+") + self

    def __sub__(self, other):  # self - other
        return self + (-other if isinstance(other, Value) else -_const(other, "-"))

    def __rsub__(self, other):  # other - self
        return _wrap(other, "-") + (-self)

    def __rmul__(self, other):  # other * self
        return _wrap(other, "*") * self

    def __truediv__(self, other):  # self / other
        return self * _wrap(other, "/") ** -1

    def __rtruediv__(self, other):  # other / self
        return _wrap(other, "/") * self**-1

    def __rpow__(self, other):  # other ** self
        return _wrap(other, "**") ** self
    # --8<-- [end:derived]

    # ---- backpropagation

    # --8<-- [start:backward]
    def backward(self):
        """Fill in ``.grad`` of every Value that ``self`` depends on.

        Gradients accumulate (``+=``): calling ``backward()`` twice adds to the
        old gradients, exactly as micrograd and PyTorch do. Call
        ``zero_grad()`` first to start from zero.
        """
        order = topological_order(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()
    # --8<-- [end:backward]

    def zero_grad(self):
        """Set ``.grad`` to 0 on ``self`` and on every Value it depends on."""
        for v in topological_order(self):
            v.grad = 0.0


# --8<-- [start:topo]
def topological_order(root):
    """Every Value that ``root`` depends on, each one after all of its inputs.

    An iterative depth-first search: a node is visited twice, once on the way
    down (push it back, then its inputs) and once on the way up (all its inputs
    are in the order by then). No recursion, so a graph of any depth works.
    """
    order, seen, done = [], set(), set()
    stack = [root]
    while stack:
        v = stack.pop()
        if v in done:
            continue
        if v in seen:  # on the way up
            done.add(v)
            order.append(v)
        else:  # on the way down
            seen.add(v)
            stack.append(v)
            stack.extend(v._prev)
    return order
# --8<-- [end:topo]


def release(root):
    """Take apart the graph behind ``root`` once it is no longer needed; returns ``root``.

    Each result Value holds a ``_backward`` closure that refers back to it: a reference
    cycle, so a finished graph waits in memory for Python's cycle collector, which is slow
    on the tens of thousands of Values a training step makes. Dropping every node's
    ``_prev`` and ``_backward`` breaks the cycles and frees the graph at once, like
    PyTorch after ``backward()``. ``data`` and ``grad`` stay; calling ``backward()`` on
    ``root`` again then reaches no input (so do it only when you are done with the graph).
    """
    for v in topological_order(root):
        v._prev = ()
        v._backward = _noop
    return root


def _wrap(x, op):
    """``x`` as a Value: a Value passes through, a plain number taking part in ``op`` is wrapped."""
    return x if isinstance(x, Value) else Value(_const(x, op))


def _const(x, op):
    """A plain number taking part in ``op``, as a float; anything else is a clear TypeError."""
    if isinstance(x, Real) and not isinstance(x, bool):
        return _number(x, f"the number in {op}")
    raise TypeError(
        f"unsupported operand for {op}: Value and {type(x).__name__} {x!r}; "
        f"only Values, ints and floats can be combined with a Value"
    )


def _noop():
    pass
