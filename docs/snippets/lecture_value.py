"""The lecture's Value, closures and all (chapters 5 to 12), written out so pages and tests can run it.

Each op makes its output and a small function, `_backward`, that remembers the inputs and
the output and knows the op's chain-rule step. The inputs are kept in a `set`, as in the
lecture. The package's Value (src/autograd_notes/engine.py) stores numbers instead of functions.

Run it: python docs/snippets/lecture_value.py
"""

import math


# --8<-- [start:value]
class LectureValue:
    # --8<-- [start:init]
    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None  # a leaf has no inputs to pass its gradient to
        self._prev = set(_children)  # a set: an input used twice is stored once
        self._op = _op
        self.label = label
    # --8<-- [end:init]

    def __repr__(self):
        return f"LectureValue(data={self.data})"

    # --8<-- [start:add]
    def __add__(self, other):
        other = other if isinstance(other, LectureValue) else LectureValue(other)
        out = LectureValue(self.data + other.data, (self, other), "+")

        def _backward():  # a closure: it sees self, other and out
            self.grad += 1.0 * out.grad
            other.grad += 1.0 * out.grad
        out._backward = _backward
        return out
    # --8<-- [end:add]

    # --8<-- [start:mul]
    def __mul__(self, other):
        other = other if isinstance(other, LectureValue) else LectureValue(other)
        out = LectureValue(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out
    # --8<-- [end:mul]

    def __pow__(self, other):  # a plain number as the exponent only
        assert isinstance(other, (int, float)), "only int or float powers"
        out = LectureValue(self.data**other, (self,), f"**{other}")

        def _backward():
            self.grad += other * self.data ** (other - 1) * out.grad
        out._backward = _backward
        return out

    def __rmul__(self, other):  # other * self
        return self * other

    def __radd__(self, other):  # other + self
        return self + other

    def __truediv__(self, other):  # self / other
        return self * other**-1

    def __neg__(self):  # -self
        return self * -1

    def __sub__(self, other):  # self - other
        return self + (-other)

    # --8<-- [start:tanh]
    def tanh(self):
        x = self.data
        t = (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)
        out = LectureValue(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t**2) * out.grad
        out._backward = _backward
        return out
    # --8<-- [end:tanh]

    def exp(self):
        out = LectureValue(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    # --8<-- [start:backward]
    def backward(self):
        topo = []
        visited = set()

        def build_topo(v):  # recursive: every input before the node that uses it
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()

    # --8<-- [end:backward]
# --8<-- [end:value]

if __name__ == "__main__":
    x1, x2 = LectureValue(2.0), LectureValue(0.0)
    w1, w2 = LectureValue(-3.0), LectureValue(1.0)
    b = LectureValue(6.8813735870195432)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.backward()
    print("o =", o.data, " x1.grad =", x1.grad, " w1.grad =", w1.grad)
