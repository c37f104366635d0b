"""The engine: every op against central differences, the lecture's numbers, deep graphs, bad inputs."""

import gc
import math
import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograd_notes.engine import Value, release, topological_order

checked = settings(deadline=None, max_examples=60)  # no deadline: the machine may be busy


def real(lo=-4.0, hi=4.0):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


positive = real(0.1, 5.0)
nonzero = st.one_of(real(-5.0, -0.1), real(0.1, 5.0))


def check_grads(f, *xs, rel=1e-5, abs_tol=1e-6):
    """Backprop through ``f(*Values)`` and compare each input's grad with a central difference."""
    vs = [Value(x) for x in xs]
    f(*vs).backward()
    for i, x in enumerate(xs):
        h = 1e-6 * max(1.0, abs(x))
        up = [Value(y + h if j == i else y) for j, y in enumerate(xs)]
        dn = [Value(y - h if j == i else y) for j, y in enumerate(xs)]
        slope = (f(*up).data - f(*dn).data) / (2 * h)
        assert vs[i].grad == pytest.approx(slope, rel=rel, abs=abs_tol), f"d/dx{i} at {xs}"


# ---- every op and every reflected form, against central differences

BINARY = {
    "a + b": (lambda a, b: a + b, real(), real()),
    "a - b": (lambda a, b: a - b, real(), real()),
    "a * b": (lambda a, b: a * b, real(), real()),
    "a / b": (lambda a, b: a / b, real(), nonzero),
    "a ** b": (lambda a, b: a**b, positive, real(-3.0, 3.0)),
    "a * b + a": (lambda a, b: a * b + a, real(), real()),  # a used twice
}
REFLECTED = {
    "2 + v": lambda v: 2 + v,
    "1 - v": lambda v: 1 - v,
    "2 * v": lambda v: 2 * v,
    "1 / v": lambda v: 1 / v,
    "2 ** v": lambda v: 2**v,
    "v + 2": lambda v: v + 2,
    "v - 1": lambda v: v - 1,
    "v * 3": lambda v: v * 3,
    "v / 4": lambda v: v / 4,
    "v ** 3": lambda v: v**3,
    "v ** -2": lambda v: v**-2,
    "-v": lambda v: -v,
}
UNARY = {
    "exp": (lambda v: v.exp(), real(-5.0, 5.0)),
    "log": (lambda v: v.log(), real(0.01, 100.0)),
    "tanh": (lambda v: v.tanh(), real(-5.0, 5.0)),
    "sigmoid": (lambda v: v.sigmoid(), real(-10.0, 10.0)),
    "relu": (lambda v: v.relu(), nonzero),  # away from the kink at 0
    "sqrt": (lambda v: v**0.5, positive),
}


@pytest.mark.parametrize("name", BINARY)
@checked
@given(data=st.data())
def test_binary_ops_match_central_differences(name, data):
    f, sa, sb = BINARY[name]
    check_grads(f, data.draw(sa), data.draw(sb))


@pytest.mark.parametrize("name", REFLECTED)
@checked
@given(x=nonzero)
def test_reflected_and_constant_forms_match_central_differences(name, x):
    check_grads(REFLECTED[name], x)


@pytest.mark.parametrize("name", UNARY)
@checked
@given(data=st.data())
def test_unary_ops_match_central_differences(name, data):
    f, sx = UNARY[name]
    check_grads(f, data.draw(sx))


@checked
@given(base=positive, k=real(-3.0, 3.0))
def test_number_to_a_value_power(base, k):
    check_grads(lambda v: base**v, k)


@checked
@given(base=nonzero, k=st.integers(-3, 4))
def test_negative_base_to_an_integer_power(base, k):
    check_grads(lambda v: v**k, base)


@checked
@given(w=st.lists(real(), min_size=1, max_size=5), seed=st.integers(0, 2**32 - 1))
def test_dot_matches_central_differences_and_the_plain_sum(w, seed):
    rng = random.Random(seed)
    x = [rng.uniform(-3, 3) for _ in w]
    b = rng.uniform(-1, 1)
    n = len(w)

    def f(*vs):
        return Value.dot(vs[:n], vs[n : 2 * n], vs[-1])

    check_grads(f, *w, *x, b)
    ws, xs = [Value(v) for v in w], [Value(v) for v in x]
    assert Value.dot(ws, xs, Value(b)).data == sum((wi * xi for wi, xi in zip(ws, xs)), Value(b)).data


def test_dot_treats_plain_numbers_as_constants():
    w = [Value(2.0), Value(-1.0)]
    out = Value.dot(w, [3.0, 4], 0.5)
    out.backward()
    assert out.data == 0.5 + 6.0 - 4.0
    assert [wi.grad for wi in w] == [3.0, 4.0]
    assert len(out._prev) == 3  # w0, w1, b: constants are not nodes


def test_dot_backward_ignores_later_edits_to_the_callers_lists():
    w, x = [Value(2.0)], [Value(3.0)]
    out = Value.dot(w, x, 0.0)
    x[0] = Value(100.0)  # the caller reuses its list after the forward pass
    out.backward()
    assert w[0].grad == 3.0


def test_division_of_two_values():
    a, b = Value(1.0), Value(4.0)
    out = a / b
    out.backward()
    assert (out.data, a.grad, b.grad) == (0.25, 0.25, -1.0 / 16)


def test_value_exponent_gradient_is_log_of_base_times_output():
    a, k = Value(2.0), Value(3.0)
    out = a**k
    out.backward()
    assert out.data == 8.0
    assert a.grad == 3.0 * 4.0
    assert k.grad == 8.0 * math.log(2.0)


# ---- forward values: the same floats as the math module

@checked
@given(x=real(-700.0, 709.0))
def test_exp_is_math_exp_to_the_last_bit(x):
    assert Value(x).exp().data == math.exp(x)


@checked
@given(x=st.floats(1e-300, 1e300))
def test_log_is_math_log_to_the_last_bit(x):
    assert Value(x).log().data == math.log(x)


@checked
@given(x=real(-1e6, 1e6))
def test_tanh_is_math_tanh_to_the_last_bit(x):
    assert Value(x).tanh().data == math.tanh(x)


@checked
@given(x=real(-30.0, 30.0))
def test_sigmoid_is_one_over_one_plus_exp(x):
    assert Value(x).sigmoid().data == pytest.approx(1.0 / (1.0 + math.exp(-x)), rel=1e-15, abs=1e-300)


@checked
@given(a=real(-1e3, 1e3), b=real(-1e3, 1e3))
def test_add_sub_mul_are_plain_float_arithmetic(a, b):
    assert (Value(a) + b).data == a + b
    assert (Value(a) - b).data == a - b
    assert (a - Value(b)).data == a - b
    assert (Value(a) * Value(b)).data == a * b


def test_large_inputs_saturate_instead_of_overflowing():
    for x, t in [(1000.0, 1.0), (-1000.0, -1.0)]:
        v = Value(x)
        out = v.tanh()
        out.backward()
        assert (out.data, v.grad) == (t, 0.0)
    for x, s in [(-1000.0, 0.0), (1000.0, 1.0)]:
        v = Value(x)
        out = v.sigmoid()
        out.backward()
        assert (out.data, v.grad) == (s, 0.0)


# ---- the lecture's and micrograd's numbers

def readme_example():
    """The expression in micrograd's README, built the same way."""
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return a, b, g


def test_micrograd_readme_example():
    a, b, g = readme_example()
    g.backward()
    assert f"{g.data:.4f} {a.grad:.4f} {b.grad:.4f}" == "24.7041 138.8338 645.5773"


def test_backward_twice_accumulates_everywhere_so_it_is_not_double():
    a, b, g = readme_example()
    g.backward()
    first = a.grad
    g.backward()
    assert f"{first:.4f} -> {a.grad:.4f}" == "138.8338 -> 1852.2653"
    g.zero_grad()
    g.backward()
    assert a.grad == first


def test_lecture_neuron_chapter_8():
    x1, x2 = Value(2.0), Value(0.0)
    w1, w2 = Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432)
    n = x1 * w1 + x2 * w2 + b
    o = n.tanh()
    o.backward()
    assert f"{n.data:.4f} {o.data:.4f}" == "0.8814 0.7071"
    assert [round(v.grad, 4) for v in (x1, w1, x2, w2)] == [-1.5, 1.0, 0.5, 0.0]


def test_tanh_broken_up_into_exp_gives_the_same_gradients():
    def neuron(as_exp):
        x1, x2, w1, w2 = Value(2.0), Value(0.0), Value(-3.0), Value(1.0)
        n = x1 * w1 + x2 * w2 + Value(6.8813735870195432)
        if as_exp:
            e = (2 * n).exp()
            o = (e - 1) / (e + 1)
        else:
            o = n.tanh()
        o.backward()
        return o.data, [v.grad for v in (x1, x2, w1, w2)]

    (o1, g1), (o2, g2) = neuron(False), neuron(True)
    assert o2 == pytest.approx(o1, rel=1e-12)
    assert g2 == pytest.approx(g1, rel=1e-9, abs=1e-12)


# ---- nodes used more than once: gradients accumulate

def test_node_used_twice():
    a = Value(3.0)
    b = a + a
    b.backward()
    assert a.grad == 2.0


def test_reused_intermediate_node():
    a = Value(1.0)
    b = a + a
    c = b + b
    c.backward()
    assert (a.grad, b.grad) == (4.0, 2.0)


def test_two_paths_through_a_and_b():
    a, b = Value(-2.0), Value(3.0)
    f = (a * b) * (a + b)  # f = ab(a + b)
    f.backward()
    assert (a.grad, b.grad) == (3.0 * 1.0 + (-6.0), -2.0 * 1.0 + (-6.0))


# ---- deep graphs and the topological order

def test_a_million_node_chain_backward():
    gc.disable()  # a million closures: skip the cycle collector's repeated scans while building
    try:
        x = Value(0.5)
        v = x
        for _ in range(1_000_000):
            v = v.relu()
        v.backward()
        assert x.grad == 1.0
        assert v.data == 0.5
    finally:
        while v._prev:  # each node and its closure refer to each other: break that, so 0.5 GB is freed now
            v._backward = None
            v = v._prev[0]
        del v
        gc.enable()


@checked
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 60))
def test_topological_order_puts_every_node_after_its_inputs(seed, n):
    rng = random.Random(seed)
    pool = [Value(rng.uniform(-1, 1)) for _ in range(3)]
    for _ in range(n):  # random ops over random earlier nodes: plenty of reuse
        a, b = rng.choice(pool), rng.choice(pool)
        pool.append(rng.choice([a + b, a * b, a.tanh(), Value.dot([a, b], [b, 2.0], a)]))
    root = pool[-1]
    order = topological_order(root)
    place = {v: i for i, v in enumerate(order)}
    assert len(place) == len(order), "a node appears twice"
    assert order[-1] is root
    for v in order:
        for c in v._prev:
            assert place[c] < place[v]
    reachable, stack = set(), [root]
    while stack:
        v = stack.pop()
        if v not in reachable:
            reachable.add(v)
            stack.extend(v._prev)
    assert set(order) == reachable


def test_zero_grad_resets_the_whole_graph_and_nothing_else():
    a, b, g = readme_example()
    other = Value(1.0)
    (other * 2).backward()
    g.backward()
    g.zero_grad()
    assert all(v.grad == 0.0 for v in topological_order(g))
    assert other.grad == 2.0


# ---- identity, structure

def test_values_compare_and_hash_by_identity():
    assert "__eq__" not in Value.__dict__
    a, b = Value(2.0), Value(2.0)
    assert a != b and a == a
    assert len({a: 1, b: 2}) == 2
    assert hash(a) == object.__hash__(a)


def test_prev_is_a_tuple_in_operand_order():
    a, b = Value(2.0), Value(3.0)
    for out in (a + b, a * b, a**b):
        assert type(out._prev) is tuple
        assert out._prev[0] is a and out._prev[1] is b
    assert (a**2)._prev[0] is a and (a.exp())._prev == (a,)
    assert (a - b)._prev[0] is a and (a - b)._prev[1]._prev[0] is b
    assert (a / b)._prev[0] is a and (a / b)._prev[1]._prev[0] is b
    for out in (5 + a, 5 * a, 5 - a, 5 / a, 5**a):  # a plain number on the left stays on the left
        assert out._prev[0].data == 5.0, out._op
    assert (5 + a)._prev[1] is a and (5 - a)._prev[1]._prev[0] is a
    w, x = [Value(1.0), Value(2.0)], [Value(3.0), Value(4.0)]
    assert Value.dot(w, x, b)._prev == (w[0], x[0], w[1], x[1], b)


# ---- bad input: a clear error that names the problem

BAD = [  # what a reader might write, the error it raises, what the message must say
    ('Value("3")', TypeError, r"expected an int or a float, got str '3'"),
    ("Value(None)", TypeError, r"expected an int or a float, got NoneType None"),
    ("Value(True)", TypeError, r"got bool True"),
    ('Value(2) + "x"', TypeError, r"unsupported operand for \+: Value and str 'x'"),
    ('"x" + Value(2)', TypeError, r"unsupported operand for \+: Value and str 'x'"),
    ('"x" * Value(2)', TypeError, r"unsupported operand for \*: Value and str 'x'"),
    ('Value(2) - "x"', TypeError, r"unsupported operand for -: Value and str 'x'"),
    ('"x" - Value(2)', TypeError, r"unsupported operand for -: Value and str 'x'"),
    ("Value(2) / [1]", TypeError, r"unsupported operand for /: Value and list"),
    ('Value(2) ** "x"', TypeError, r"exponent .* expected an int or a float, got str"),
    ("Value(0).log()", ValueError, r"log\(0\): log needs a positive input"),
    ("Value(-2).log()", ValueError, r"log\(-2\): log needs a positive input"),
    ("Value(-8) ** (1 / 3)", ValueError, r"negative base to a fractional power"),
    ("Value(-8) ** Value(2)", ValueError, r"Value \*\* Value needs a positive base"),
    ("Value(1) / 0", ZeroDivisionError, r"divides by zero"),
    ("1 / Value(0)", ZeroDivisionError, r"divides by zero"),
    ("Value(1) / Value(0.0)", ZeroDivisionError, r"divides by zero"),
    ('Value(float("nan"))', ValueError, r"nan \(not a number\)"),
    ('Value(2) * float("nan")', ValueError, r"nan \(not a number\)"),
    ('Value(float("inf"))', OverflowError, r"is inf, but a Value must hold a finite number"),
    ("Value(-math.inf)", OverflowError, r"is -inf, but a Value must hold a finite number"),
    ("Value(10**400)", OverflowError, r"too large for a float"),
    ("Value(1e200) * 1e200", OverflowError, r"the result of \* is inf"),
    ("Value(1e308) + Value(1e308)", OverflowError, r"the result of \+ is inf"),
    ("Value(1000).exp()", OverflowError, r"exp\(1000\) overflows"),
    ("Value(10) ** 400", OverflowError, r"10 \*\* 400 overflows a float"),
    ("2 ** Value(5000)", OverflowError, r"2 \*\* 5000 overflows a float"),
    ("Value.dot([Value(1)], [1, 2])", ValueError, r"as many weights as inputs, got 1 and 2"),
    ("Value.dot([1.0], [Value(2)])", TypeError, r"every weight must be a Value"),
    ('Value.dot([Value(1)], ["x"])', TypeError, r"input of dot: expected an int or a float"),
]


@pytest.mark.parametrize("code, error, message", BAD, ids=[code for code, _, _ in BAD])
def test_bad_input_gets_a_clear_error(code, error, message):
    with pytest.raises(error, match=message):
        eval(code, {"Value": Value, "math": math})


def test_infinite_slope_of_a_root_at_zero_is_an_error():
    v = Value(0.0)
    out = v**0.5
    assert out.data == 0.0
    with pytest.raises(ZeroDivisionError, match=r"derivative of x \*\* 0.5 at x = 0 is infinite"):
        out.backward()


def test_largest_exp_input_still_works():
    assert Value(709.78).exp().data == math.exp(709.78)


def _cycles_left_after(free):
    """How many unreachable objects the cycle collector finds once a used graph is dropped."""
    gc.collect()
    was_on = gc.isenabled()
    gc.disable()
    try:
        x, w = Value(0.5), Value(-1.5)
        out = x
        for _ in range(50):
            out = (out * w + 1.0).tanh()
        out.backward()
        grads = (x.grad, w.grad)
        if free:
            assert release(out) is out
            assert out._prev == () and (x.grad, w.grad) == grads  # the numbers stay
        del out
        return gc.collect()
    finally:
        if was_on:
            gc.enable()


def test_release_frees_the_graph_without_the_cycle_collector():
    assert _cycles_left_after(free=False) > 100  # closures and their Values: cycles only gc can free
    assert _cycles_left_after(free=True) == 0
