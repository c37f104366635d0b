"""Exercises, section 2, checked with PyTorch: the same loss and gradients in
float64. Needs PyTorch; run it to print them:

    python docs/snippets/exercise_torch.py
"""


# --8<-- [start:torch]
def torch_nll(logits, target):
    """PyTorch's loss and logit gradients, or None without PyTorch."""
    try:
        import torch
    except ImportError:
        print("PyTorch isn't installed: the comparison is skipped.")
        print("To run it: pip install torch")
        print("(CPU-only wheels: pip install torch "
              "--index-url https://download.pytorch.org/whl/cpu)")
        return None
    z = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    loss = -torch.softmax(z, dim=0)[target].log()
    loss.backward()
    return loss.item(), z.grad.tolist()
# --8<-- [end:torch]


if __name__ == "__main__":
    # One "name = number" line each: the site reads them (src/site_tools/torch_run.py).
    reference = torch_nll([0.0, 3.0, -2.0, 1.0], 3)
    if reference is not None:
        print(f"loss = {reference[0]!r}")
        for i, g in enumerate(reference[1]):
            print(f"grad{i} = {g!r}")
