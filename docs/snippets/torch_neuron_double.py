"""The same neuron with every number created as float64 from the start.

Run it: python docs/snippets/torch_neuron_double.py   (needs `pip install torch`)
"""

import torch


def leaf(x):
    """A float64 scalar that collects a gradient; no float32 step on the way."""
    return torch.tensor(x, dtype=torch.double, requires_grad=True)


x1, x2 = leaf(2.0), leaf(0.0)
w1, w2 = leaf(-3.0), leaf(1.0)
b = leaf(6.8813735870195432)

n = x1 * w1 + x2 * w2 + b
o = torch.tanh(n)
o.backward()

print(f"{'o':<7} = {o.item()!r}")
for name, t in (("x1", x1), ("w1", w1), ("x2", x2), ("w2", w2), ("b", b)):
    print(f"{name + '.grad':<7} = {t.grad.item()!r}")
