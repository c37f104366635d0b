"""tanh as a custom torch.autograd.Function, checked with torch.autograd.gradcheck.

Run it: python docs/snippets/torch_tanh_function.py   (needs `pip install torch`)
"""

import torch


class Tanh(torch.autograd.Function):
    """y = tanh(x), with its own backward: dL/dx = dL/dy * (1 - y^2)."""

    @staticmethod
    def forward(ctx, x):
        y = torch.tanh(x)
        ctx.save_for_backward(y)  # the backward needs only the output
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (1 - y * y)


class WrongTanh(Tanh):
    """The same, with a bug in the backward: the square is missing."""

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (1 - y)


# gradcheck compares backward() with finite differences; it wants float64 inputs
torch.manual_seed(0)
xs = torch.randn(8, dtype=torch.double, requires_grad=True)
print("gradcheck(Tanh)      =", torch.autograd.gradcheck(Tanh.apply, (xs,)))
ok = torch.autograd.gradcheck(WrongTanh.apply, (xs,), raise_exception=False)
print("gradcheck(WrongTanh) =", ok)

# the lecture's neuron, with the custom Function as its activation
x1, x2, w1, w2, b = (torch.tensor(v, dtype=torch.double, requires_grad=True)
                     for v in (2.0, 0.0, -3.0, 1.0, 6.8813735870195432))
o = Tanh.apply(x1 * w1 + x2 * w2 + b)
o.backward()
print(f"{'o':<7} = {o.item()!r}")
for name, t in (("x1", x1), ("w1", w1), ("x2", x2), ("w2", w2), ("b", b)):
    print(f"{name + '.grad':<7} = {t.grad.item()!r}")
