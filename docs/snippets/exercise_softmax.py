"""Exercises, section 2: softmax and the negative log likelihood, built from
the Values of exercise_value.py (once its operations are added). Run it to see
the checks:

    python docs/snippets/exercise_softmax.py
"""
from exercise_value import Value


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


# --8<-- [start:result]
def result(logits, target):
    """nll on fresh Values, backpropagated: (loss, gradients of the logits)."""
    zs = [Value(z) for z in logits]
    loss = nll(zs, target)
    loss.backward()
    return loss.data, [z.grad for z in zs]
# --8<-- [end:result]


if __name__ == "__main__":
    from exercise_check import LOGIT_GRADS, LOGITS, LOSS, check

    check("softmax sums to 1",
          lambda: sum(p.data for p in softmax([Value(z) for z in LOGITS])), 1.0)
    check("loss", lambda: result(LOGITS, 3)[0], LOSS)
    check("gradients of the logits", lambda: result(LOGITS, 3)[1], LOGIT_GRADS)
