"""Exercises, section 2: softmax and the negative log likelihood,
built from Values. Run it to see the checks:

    python docs/snippets/exercise_softmax.py
"""
from autograd_notes import Value


# --8<-- [start:softmax]
def softmax(logits):
    """Probabilities from Values: exponentiate, divide by the sum."""
    counts = [z.exp() for z in logits]
    total = sum(counts)  # 0 + counts[0] + ...: uses Value.__radd__
    return [c / total for c in counts]
# --8<-- [end:softmax]


# --8<-- [start:nll]
def nll(logits, target):
    """-log(probability of the class ``target``), a Value."""
    return -softmax(logits)[target].log()
# --8<-- [end:nll]


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


def result(nll, logits, target):
    """``nll`` on fresh Values, backpropagated: (loss, logit grads)."""
    zs = [Value(z) for z in logits]
    loss = nll(zs, target)
    loss.backward()
    return loss.data, [z.grad for z in zs]


if __name__ == "__main__":
    from exercise_check import LOGIT_GRADS, LOGITS, LOSS, check

    check("softmax sums to 1",
          lambda: sum(p.data for p in softmax([Value(z) for z in LOGITS])), 1.0)
    check("loss", lambda: result(nll, LOGITS, 3)[0], LOSS)
    check("gradients of the logits",
          lambda: result(nll, LOGITS, 3)[1], LOGIT_GRADS)
    reference = torch_nll(LOGITS, 3)
    if reference is not None:
        check("loss vs PyTorch",
              lambda: result(nll, LOGITS, 3)[0], reference[0], tol=1e-12)
        check("gradients vs PyTorch",
              lambda: result(nll, LOGITS, 3)[1], reference[1], tol=1e-12)
