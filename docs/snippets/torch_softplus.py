"""The lecture's neuron with softplus in place of tanh, in PyTorch (the page on adding a new op).

Run it: python docs/snippets/torch_softplus.py   (needs `pip install torch`)
"""

import torch
import torch.nn.functional as F

# float64 from the start (dtype=torch.float64), so nothing is rounded to float32 on the way
x1 = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
x2 = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
w1 = torch.tensor(-3.0, dtype=torch.float64, requires_grad=True)
w2 = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
b = torch.tensor(6.8813735870195432, dtype=torch.float64, requires_grad=True)

n = x1 * w1 + x2 * w2 + b
o = F.softplus(n)  # log(1 + exp(n))
o.backward()

print(f"{'o':<7} = {o.item()!r}")
for name, t in (("x1", x1), ("w1", w1), ("x2", x2), ("w2", w2), ("b", b)):
    print(f"{name + '.grad':<7} = {t.grad.item()!r}")
