"""The lecture's Value class, cut down, with a new op (softplus): the page docs/topics/new-op.md.

Run it: python docs/snippets/lecture_value.py
"""

# --8<-- [start:value]
import math

class V:
    """A scalar that remembers the ops that made it (the lecture's Value, cut down)."""

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None  # how to pass out.grad on to the inputs
        self._prev = set(_children)
        self._op = _op

    def __repr__(self):
        return f"V(data={self.data}, grad={self.grad})"

    def __add__(self, other):
        other = other if isinstance(other, V) else V(other)
        out = V(self.data + other.data, (self, other), "+")
        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, V) else V(other)
        out = V(self.data * other.data, (self, other), "*")
        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = V(t, (self,), "tanh")
        def _backward():
            self.grad += (1 - t**2) * out.grad
        out._backward = _backward
        return out

    def backward(self):
        order, seen = [], set()
        def visit(v):
            if v not in seen:
                seen.add(v)
                for child in v._prev:
                    visit(child)
                order.append(v)  # after all its inputs
        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()
# --8<-- [end:value]


# --8<-- [start:softplus]
def sigmoid(x):
    """1 / (1 + e^-x), written so that exp never overflows."""
    e = math.exp(-abs(x))
    return 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)


def softplus(self):
    x = self.data
    y = max(x, 0.0) + math.log1p(math.exp(-abs(x)))  # 1. forward: log(1 + e^x)
    s = sigmoid(x)  # 2. local derivative
    out = V(y, (self,), "softplus")
    def _backward():
        self.grad += s * out.grad  # 3. backward rule: local derivative times upstream gradient
    out._backward = _backward
    return out


V.softplus = softplus
# --8<-- [end:softplus]

if __name__ == "__main__":
    x = V(0.5)
    y = x.softplus()
    y.backward()
    print(f"softplus(0.5) = {y.data:.6f}, d/dx = {x.grad:.6f}")
