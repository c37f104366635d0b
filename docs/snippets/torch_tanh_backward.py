"""PyTorch's backward pass of tanh: grad * (1 - y**2), from the output y.

Run it: python docs/snippets/torch_tanh_backward.py   (needs `pip install torch`)
"""

import torch

torch.manual_seed(0)
x = torch.randn(1000, dtype=torch.double, requires_grad=True)
g = torch.randn(1000, dtype=torch.double)  # a gradient arriving from above: dL/dy

y = torch.tanh(x)
y.backward(g)  # autograd fills x.grad = dL/dx
y = y.detach()

# the function autograd calls; it takes the output y, not the input x
kernel = torch.ops.aten.tanh_backward(g, y)
formula = g * (1 - y * y)

print("max |x.grad - tanh_backward(g, y)| =", (x.grad - kernel).abs().max().item())
print("max |x.grad - g * (1 - y*y)|       =", (x.grad - formula).abs().max().item())
wrong = g * (1 - x.detach() ** 2)  # the input in place of the output
print("max |x.grad - g * (1 - x*x)|       =", (x.grad - wrong).abs().max().item())
