"""Checks for the exercises: your results against the lecture's.

Each check prints one line: OK, WRONG (with the numbers expected
and got), or "not filled in yet" while your function still raises
NotImplementedError.
"""
import math

# The lecture's numbers: the spec the checks compare against
POINT = [2.0, 3.0, 4.0]  # (a, b, c) in section 1
F_AT_POINT = 6.336362190988558
GRAD_AT_POINT = [-12.353553390593273, 10.25699027111255, 0.0625]
LOGITS = [0.0, 3.0, -2.0, 1.0]  # section 2; the right class is 3
LOSS = 2.1755153626
LOGIT_GRADS = [0.041772570515350445, 0.8390245074625319,
               0.005653302662216329, -0.8864503806400986]


def check(name, compute, expected, tol=1e-5, strict=False):
    """Run ``compute()``, compare with ``expected``, print OK or WRONG.

    Args:
        name: what is checked (it starts the printed line).
        compute: a function of no arguments that returns a number
            or a list of numbers.
        expected: the number(s) it should return.
        tol: the largest difference accepted, for each number.
        strict: raise instead of printing WRONG (the site does this).
    """
    try:
        got = compute()
    except NotImplementedError:
        if strict:
            raise
        print(f"{name}: not filled in yet")
        return
    except Exception as err:  # a bug in your code: report it, go on
        if strict:
            raise
        kind = type(err).__name__
        print(f"WRONG  {name}: your code raised {kind}: {err}")
        return
    problem = _mismatch(got, expected, tol)
    if problem is None:
        print(f"OK     {name}: {_show(got)}")
        return
    message = (f"WRONG  {name}: {problem}\n"
               f"       expected {_show(expected)}\n"
               f"       got      {_show(got)}")
    if strict:
        raise AssertionError(message)
    print(message)


def _mismatch(got, expected, tol):
    """None if ``got`` matches ``expected``, else what is wrong."""
    if isinstance(expected, (list, tuple)):
        if not isinstance(got, (list, tuple)):
            return f"expected a list, got {type(got).__name__}"
        if len(got) != len(expected):
            return f"expected {len(expected)} numbers, got {len(got)}"
        for i, (g, e) in enumerate(zip(got, expected)):
            problem = _mismatch(g, e, tol)
            if problem is not None:
                return f"item {i}: {problem}"
        return None
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        kind = type(got).__name__
        return f"expected a number, got {kind} (.data reads a Value)"
    if not math.isfinite(got) or abs(got - expected) > tol:
        return f"off by {abs(got - expected):.3g} (tolerance {tol:g})"
    return None


def _show(x):
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(_show(v) for v in x) + "]"
    return repr(x)
