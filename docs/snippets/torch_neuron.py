"""The lecture's neuron in PyTorch, built as in the lecture (chapter 13).

Run it: python docs/snippets/torch_neuron.py   (needs `pip install torch`)
"""

import torch

# torch.Tensor(...) makes a float32 tensor; .double() then converts it to float64
x1 = torch.Tensor([2.0]).double(); x1.requires_grad = True
x2 = torch.Tensor([0.0]).double(); x2.requires_grad = True
w1 = torch.Tensor([-3.0]).double(); w1.requires_grad = True
w2 = torch.Tensor([1.0]).double(); w2.requires_grad = True
b = torch.Tensor([6.8813735870195432]).double(); b.requires_grad = True

n = x1 * w1 + x2 * w2 + b
o = torch.tanh(n)
o.backward()

print(f"{'o':<7} = {o.item()!r}")
for name, t in (("x1", x1), ("w1", w1), ("x2", x2), ("w2", w2), ("b", b)):
    print(f"{name + '.grad':<7} = {t.grad.item()!r}")
