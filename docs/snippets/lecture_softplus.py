"""A new op, softplus, added to the lecture's Value (docs/snippets/lecture_value.py): the page docs/topics/new-op.md.

Run it: python docs/snippets/lecture_softplus.py   (from docs/snippets/, beside lecture_value.py)
"""

import math

if __name__ == "__main__":
    from lecture_value import LectureValue

# --8<-- [start:softplus]
V = LectureValue  # a short name for the lecture's Value on this page


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
