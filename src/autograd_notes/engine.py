"""A scalar autograd engine: the Value class and its derivative rules.

Each primitive op computes its output and, at the same moment, the **local
derivative** of that output with respect to each input. The output keeps its
inputs and those numbers; ``backward()`` then applies the chain rule itself,
``input.grad += local * out.grad``, node by node. No op creates a function
object, so a graph holds no reference cycles and is freed, by plain reference
counting, as soon as the last name for its output goes away.

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

import functools
import math
from numbers import Real

INF = math.inf


def _other_operand(op, sign=1.0):
    """For the derived ops: ``other`` arrives as a Value (see ``_operand``), or the op gives other types their turn.

    With ``sign=-1.0`` it arrives negated: a plain number as the constant ``-x``, a Value as ``-other``.
    """

    def decorate(method):
        @functools.wraps(method)
        def derived(self, other):
            if isinstance(other, Value):
                return method(self, other if sign == 1.0 else -other)
            other = _operand(other, op, sign)
            return other if other is NotImplemented else method(self, other)
        return derived
    return decorate


class Value:
    """A scalar that remembers the ops that made it, so gradients can flow back.

    Args:
        data: the number (an int or a float; stored as a float).
        label: an optional name, shown in graph drawings.

    A node made by an op keeps its inputs in ``_a`` and ``_b`` (``_b`` is ``None``
    for one input) and the local derivatives with respect to them in ``_da`` and
    ``_db``. ``_prev`` and ``_local`` show both as tuples, in operand order.
    """

    # two input slots: every primitive op has one or two inputs (dot, the one op
    # with more, keeps a tuple of them in _a). Slots instead of tuples: one object
    # per node, which is what makes a step fast for Python's memory manager.
    __slots__ = ("data", "grad", "_a", "_b", "_da", "_db", "_op", "label", "__weakref__")

    # --8<-- [start:init]
    def __init__(self, data, _children=(), _op="", label="", _local=None):
        if type(data) is not float or data - data != 0.0:  # not a finite float
            data = _number(data, f"the result of {_op}" if _op else "Value(data)")
        self.data = data
        self.grad = 0.0
        self._op = _op
        self.label = label
        self._a = self._b = None  # the inputs: none for a leaf
        self._da = self._db = 0.0  # d(self)/d(input), one number per input
        if _children:
            _link(self, tuple(_children), _local)
    # --8<-- [end:init]

    @property
    def _prev(self):
        """The inputs of this node, in operand order (``()`` for a leaf)."""
        a, b = self._a, self._b
        if b is not None:
            return (a, b)
        if a is None:
            return ()
        return a if type(a) is tuple else (a,)

    @property
    def _local(self):
        """The local derivative of this node with respect to each input, in the order of ``_prev``."""
        a, b = self._a, self._b
        if b is not None:
            return (self._da, self._db)
        if a is None:
            return ()
        return self._da if type(a) is tuple else (self._da,)

    # --8<-- [start:repr]
    def __repr__(self):
        return f"Value(data={self.data!r}, grad={self.grad!r})"
    # --8<-- [end:repr]

    # ---- primitive ops: compute out and its local derivatives, return out

    # --8<-- [start:add]
    def __add__(self, other):
        if type(other) is not Value:
            other = _operand(other, "+")
            if other is NotImplemented:
                return other
        return _out(self.data + other.data, "+", self, 1.0, other, 1.0)  # d(a+b)/da = 1, d(a+b)/db = 1
    # --8<-- [end:add]

    # --8<-- [start:mul]
    def __mul__(self, other):
        if type(other) is not Value:
            other = _operand(other, "*")
            if other is NotImplemented:
                return other
        return _out(self.data * other.data, "*", self, other.data, other, self.data)  # d(ab)/da = b, d(ab)/db = a
    # --8<-- [end:mul]

    def __pow__(self, other):
        a = self.data
        if isinstance(other, Value):
            if a <= 0.0:
                raise ValueError(
                    f"Value ** Value needs a positive base, got {_fmt(a)}: the gradient with respect to the "
                    f"exponent is log(base) * out; use a plain number as the exponent instead"
                )
            k, op = other.data, "**"
        else:
            if type(other).__module__ != "builtins" and not isinstance(other, Real):
                return NotImplemented
            k, op = _number(other, "the exponent in Value ** k"), f"**{other}"
        if a == 0.0 and k < 0:
            raise ZeroDivisionError(
                f"0 ** {_fmt(k)} divides by zero (x / 0 is x * 0 ** -1); keep the divisor away from 0"
            )
        if a < 0.0 and not k.is_integer():
            raise ValueError(
                f"{_fmt(a)} ** {_fmt(k)}: a negative base to a fractional power is not a real number; "
                f"keep the base positive (e.g. use abs or exp/log)"
            )
        y = _pow(a, k)
        da = k * _slope_pow(a, k - 1.0) if k else 0.0  # d(a^k)/da = k a^(k-1)
        if op == "**":
            return _out(y, op, self, da, other, y * math.log(a))  # d(a^k)/dk = a^k log a
        return _out(y, op, self, da)

    def exp(self):
        x = self.data
        if x > 709.782712893384:
            raise OverflowError(f"exp({_fmt(x)}) overflows a float (the largest is exp(709.78)); scale the input down")
        y = math.exp(x)
        return _out(y, "exp", self, y)  # d(e^x)/dx = e^x

    def log(self):
        x = self.data
        if x <= 0.0:
            raise ValueError(f"log({_fmt(x)}): log needs a positive input; add a small epsilon or clamp it")
        return _out(math.log(x), "log", self, 1.0 / x)  # d(ln x)/dx = 1/x (inf for a subnormal x: backward says so)

    # --8<-- [start:tanh]
    def tanh(self):
        t = math.tanh(self.data)  # math.tanh saturates at +-1: no overflow
        return _out(t, "tanh", self, 1.0 - t * t)  # d(tanh x)/dx = 1 - tanh^2 x
    # --8<-- [end:tanh]

    def sigmoid(self):
        x = self.data
        if x >= 0.0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:  # the same value, written so that exp never overflows
            e = math.exp(x)
            s = e / (1.0 + e)
        return _out(s, "sigmoid", self, s * (1.0 - s))

    def relu(self):
        x = self.data
        return _out(x, "ReLU", self, 1.0) if x > 0.0 else _out(0.0, "ReLU", self, 0.0)

    @staticmethod
    def dot(w, x, b=0.0):
        """``b + w[0]*x[0] + w[1]*x[1] + ...`` as one node: what a neuron computes before its activation.

        The same number as ``sum((wi*xi for wi, xi in zip(w, x)), b)``, added in the same order,
        but one node instead of ``2 * len(w)``. Plain numbers in ``x`` are constants.
        """
        w, x = tuple(w), tuple(x)
        if len(w) != len(x):
            raise ValueError(f"dot needs as many weights as inputs, got {len(w)} and {len(x)}")
        if not isinstance(b, Value):
            b = Value(_number(b, "the bias of dot"))
        acc = b.data
        inputs, local = [], []
        for wi, xi in zip(w, x):
            if type(wi) is not Value and not isinstance(wi, Value):
                raise TypeError(f"dot: every weight must be a Value, got {type(wi).__name__} {wi!r}; wrap it: Value(w)")
            if type(xi) is Value or isinstance(xi, Value):
                acc += wi.data * xi.data
                inputs += (wi, xi)
                local += (xi.data, wi.data)  # d/dw_i = x_i, d/dx_i = w_i
            else:  # a plain number: a constant, not a node
                if type(xi) is not float or xi - xi != 0.0:
                    xi = _number(xi, "an input of dot")
                acc += wi.data * xi
                inputs.append(wi)
                local.append(xi)  # d/dw_i = x_i
        inputs.append(b)
        local.append(1.0)  # d/db = 1
        return _out(acc, "dot", tuple(inputs), tuple(local))

    # ---- derived ops: one line each, over the primitives

    # --8<-- [start:derived]
    def __neg__(self):  # -self
        return self * -1.0

    @_other_operand("+")  # turns a plain number `other` into a Value first
    def __radd__(self, other):  # other + self
        return other + self

    @_other_operand("-", sign=-1.0)  # other arrives as -other (a plain number as the constant -x)
    def __sub__(self, other):  # self - other
        return self + other

    @_other_operand("-")
    def __rsub__(self, other):  # other - self
        return other + (-self)

    @_other_operand("*")
    def __rmul__(self, other):  # other * self
        return other * self

    @_other_operand("/")
    def __truediv__(self, other):  # self / other
        return self * other**-1

    @_other_operand("/")
    def __rtruediv__(self, other):  # other / self
        return other * self**-1

    @_other_operand("**")
    def __rpow__(self, other):  # other ** self
        return other**self
    # --8<-- [end:derived]

    # ---- backpropagation

    # --8<-- [start:local_backward]
    def _backward(self):
        """Pass this node's gradient to its inputs, once: ``input.grad += local * self.grad``."""
        g = self.grad
        for child, local in zip(self._prev, self._local):
            if local is None:
                raise TypeError(f"this {self._op} node was made without local derivatives: give it its own _backward")
            child.grad += local * g
    # --8<-- [end:local_backward]

    # --8<-- [start:backward]
    def backward(self):
        """Fill in ``.grad`` of every Value that ``self`` depends on.

        Gradients accumulate (``+=``): calling ``backward()`` twice adds to the
        old gradients, exactly as micrograd and PyTorch do. Call
        ``zero_grad()`` first to start from zero.

        A gradient that is not a finite number (an overflow, or inf - inf) stops the
        sweep with an error naming the op it came from. The gradients are then
        partly accumulated: call ``zero_grad()`` before the next ``backward()``.
        """
        order = topological_order(self)
        self.grad = 1.0
        for v in reversed(order):
            g = v.grad
            if g - g != 0.0:  # inf or nan: g - g is nan, never 0
                raise _bad_gradient(order, v)
            if type(v) is not Value:  # a subclass may bring its own _backward (the lecture's closures)
                v._backward()
                continue
            a, b = v._a, v._b
            if b is not None:  # two inputs: the chain rule, spelled out
                a.grad += v._da * g
                b.grad += v._db * g
            elif a is None:  # a leaf: nothing to pass on
                continue
            elif type(a) is tuple:  # dot: a tuple of inputs
                for child, local in zip(a, v._da):
                    child.grad += local * g
            else:  # one input
                a.grad += v._da * g
    # --8<-- [end:backward]

    def zero_grad(self):
        """Set ``.grad`` to 0 on ``self`` and on every Value it depends on."""
        for v in topological_order(self):
            v.grad = 0.0


# --8<-- [start:topo]
def topological_order(root):
    """Every Value that ``root`` depends on, each one after all of its inputs.

    An iterative depth-first search with its own stack, so a graph of any
    depth works (no recursion). Look at the node on top of the stack: if one
    of its inputs has not been seen yet, put that input on top; once all its
    inputs are done, the node is done too: move it to the order.
    """
    order, seen, stack = [], {root}, [root]
    walks = {}  # dot node -> an iterator over its many inputs: how far we got
    while stack:
        v = stack[-1]
        c = v._a
        if type(c) is tuple:  # a dot node: the next input not seen yet, if any
            walk = walks.get(v)
            if walk is None:
                walk = walks[v] = iter(c)
            for c in walk:
                if c not in seen:
                    break
            else:
                stack.pop()
                order.append(v)
                continue
        elif c is None or c in seen:  # a leaf, or its first input is done: look at the second
            c = v._b
            if c is None or c in seen:  # every input is done
                stack.pop()
                order.append(v)
                continue
        seen.add(c)
        stack.append(c)
    return order
# --8<-- [end:topo]


_new = object.__new__


def _out(data, op, a, da, b=None, db=0.0):
    """The output of a primitive op: a new Value with its inputs and local derivatives.

    The hot path of every forward pass, so it fills the slots directly instead of
    going through ``__init__``; the result must be finite, as for ``Value(data)``.
    """
    if data - data != 0.0:
        data = _number(data, f"the result of {op}")  # raises: inf or nan
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out._op = op
    out.label = ""
    out._a = a
    out._da = da
    out._b = b
    out._db = db
    return out


def _link(out, children, local):
    """Store ``children`` and their local derivatives on ``out`` (for nodes made with ``Value(...)``)."""
    for c in children:
        if not isinstance(c, Value):
            raise TypeError(f"the inputs of a Value must be Values, got {type(c).__name__} {c!r}")
    if local is None:
        if type(out) is Value:
            raise TypeError(
                f"Value(data, children, {out._op!r}) needs the local derivative of the node with respect to each "
                f"input: pass _local=(d1, d2, ...), or give the node its own _backward in a subclass"
            )
        local = (None,) * len(children)  # a subclass's own _backward does the work
    else:
        local = tuple(_number(d, "a local derivative") if type(d) is not float else d for d in local)
    if len(local) != len(children):
        raise ValueError(f"need one local derivative per input, got {len(local)} for {len(children)} inputs")
    if len(children) == 1:
        out._a, out._da = children[0], local[0]
    elif len(children) == 2:
        out._a, out._b = children
        out._da, out._db = local
    else:
        out._a, out._da = children, local


def _number(x, where):
    """Turn a plain number (an int, a float, any ``numbers.Real``) into a finite float.

    The one place where plain numbers are checked and converted; ``where`` names
    the number in the error message.
    """
    if not isinstance(x, Real) or isinstance(x, bool):
        raise TypeError(
            f"{where}: expected an int or a float, got {type(x).__name__} {x!r}; "
            f"convert it first, e.g. Value(float(x))"
        )
    try:
        x = float(x)
    except OverflowError:  # an int beyond the float range
        raise OverflowError(f"{where}: this int is too large for a float (floats stop at about 1.8e308)") from None
    if x - x == 0.0:  # finite
        return x
    if math.isnan(x):
        raise ValueError(f"{where} is nan (not a number), but a Value must hold a finite number; find its source")
    raise OverflowError(
        f"{where} is {x}, but a Value must hold a finite number (floats stop at about 1.8e308); "
        f"keep the numbers smaller"
    )


def _operand(x, op, sign=1.0):
    """The other operand of ``op`` as a Value, or ``NotImplemented``.

    A Value passes through and a plain number is wrapped (times ``sign``). Python's own types
    (a str, None, a list, ...) get a clear TypeError, since no other type will
    take the operation. Any other type gets ``NotImplemented``: its reflected
    method then has its turn (``Value(2.0) * numpy.array([1.0, 2.0])`` works).
    """
    if isinstance(x, Value):
        return x
    if isinstance(x, Real) and not isinstance(x, bool):
        return Value(sign * _number(x, f"the number in {op}"))
    if type(x).__module__ != "builtins":
        return NotImplemented
    raise TypeError(
        f"unsupported operand for {op}: Value and {type(x).__name__} {x!r}; "
        f"only Values, ints and floats can be combined with a Value"
    )


def _fmt(x):
    """A float for an error message: every digit (as repr), but 400 rather than 400.0."""
    return str(int(x)) if x.is_integer() and abs(x) < 1e16 else repr(x)


def _pow(a, k):
    """``a ** k`` for floats, with a clear message when it overflows."""
    try:
        return a**k
    except OverflowError:
        raise OverflowError(
            f"{_fmt(a)} ** {_fmt(k)} overflows a float (floats stop at about 1.8e308); keep the numbers smaller"
        ) from None


def _slope_pow(a, k):
    """``a ** k`` inside a local derivative: an overflow or 0 ** -k becomes inf (``backward()`` explains it)."""
    try:
        return a**k
    except (OverflowError, ZeroDivisionError):
        odd = a < 0.0 and k % 2.0 == 1.0
        return -INF if odd else INF


def _bad_gradient(order, v):
    """The error for the node ``v`` of the backward sweep, whose gradient is inf or nan."""
    swept = order[::-1]
    i = swept.index(v)
    name = f"the node {v.label!r}" if v.label else ("a leaf" if v._a is None else f"the {v._op} node")
    where = f"backward(): the gradient of {name} is {v.grad!r}"
    users = [u for u in swept[:i] if any(c is v for c in u._prev)]
    for u in users:
        for c, d in zip(u._prev, u._local):
            if c is v and (d - d != 0.0 or (d * u.grad) - (d * u.grad) != 0.0):
                if d - d == 0.0:
                    why = f"its local derivative {d!r} times its gradient {u.grad!r} overflows a float"
                elif u._op.startswith("**") and u._a.data == 0.0:
                    return ZeroDivisionError(
                        f"{where}: the derivative of x ** {u._op[2:]} at x = 0 is infinite; keep x away from 0"
                    )
                else:
                    why = f"its local derivative is {d!r} at its input {u._a.data!r}"
                return OverflowError(
                    f"{where}; it came from the op {u._op} (output {u.data!r}): {why}. The gradients "
                    f"are left partly filled in: call zero_grad() before the next backward(); keep the numbers smaller"
                )
    kind = ValueError if math.isnan(v.grad) else OverflowError
    ops = ", ".join(sorted({u._op for u in users})) or "?"
    return kind(
        f"{where}: the sum of the gradients from the ops that use it ({ops}) is not a finite number. "
        f"The gradients are left partly filled in: call zero_grad() before the next backward()"
    )
