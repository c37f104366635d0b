"""Exercises, section 1: the gradient of f(a, b, c), by hand and by
finite differences. Run it to see the checks:

    python docs/snippets/exercise_derivatives.py
"""
# --8<-- [start:f]
import math


def f(a, b, c):
    return -a**3 + math.sin(3 * b) - 1.0 / c + b**2.5 - a**0.5
# --8<-- [end:f]


# --8<-- [start:gradient]
def grad_f(a, b, c):
    """[df/da, df/db, df/dc], one term of f at a time."""
    dfda = -3 * a**2 - 0.5 * a**-0.5        # from -a^3 and -a^0.5
    dfdb = 3 * math.cos(3 * b) + 2.5 * b**1.5  # from sin(3b) and b^2.5
    dfdc = 1.0 / c**2                        # from -1/c
    return [dfda, dfdb, dfdc]
# --8<-- [end:gradient]


# --8<-- [start:forward]
def forward_diff(f, x, h):
    """(f(x + h) - f(x)) / h for each input of x (a list) in turn."""
    fx = f(*x)
    grad = []
    for i in range(len(x)):
        nudged = list(x)
        nudged[i] += h
        grad.append((f(*nudged) - fx) / h)
    return grad
# --8<-- [end:forward]


# --8<-- [start:symmetric]
def symmetric_diff(f, x, h):
    """(f(x + h) - f(x - h)) / 2h for each input of x in turn."""
    grad = []
    for i in range(len(x)):
        up, down = list(x), list(x)
        up[i] += h
        down[i] -= h
        grad.append((f(*up) - f(*down)) / (2 * h))
    return grad
# --8<-- [end:symmetric]


if __name__ == "__main__":
    from exercise_check import F_AT_POINT, GRAD_AT_POINT, POINT, check

    check("f(2, 3, 4)", lambda: f(*POINT), F_AT_POINT)
    check("analytic gradient", lambda: grad_f(*POINT), GRAD_AT_POINT)
    check("forward difference, h = 1e-6",
          lambda: forward_diff(f, POINT, 1e-6), GRAD_AT_POINT)
    check("symmetric difference, h = 1e-4",
          lambda: symmetric_diff(f, POINT, 1e-4), GRAD_AT_POINT, tol=1e-6)
