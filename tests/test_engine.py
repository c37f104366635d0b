"""The engine: every op against central differences, the lecture's numbers, deep graphs, bad inputs."""

import copy
import gc
import importlib.util
import math
import pickle
import random
import weakref
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd_notes.engine import Value, topological_order

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

def test_a_million_node_chain_backward_and_its_memory_is_freed_with_the_root():
    x = Value(0.5)
    v = x
    for _ in range(1_000_000):
        v = v.relu()
    first = weakref.ref(v._prev[0])  # the node just below the root
    v.backward()
    assert x.grad == 1.0
    assert v.data == 0.5
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        del v  # reference counting alone frees the whole chain: no cycle collector needed
        assert first() is None
    finally:
        if gc_was_on:
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


# ---- no reference cycles: a graph is freed the moment its output is dropped

def test_a_dropped_graph_is_freed_by_reference_counting_alone():
    gc_was_on = gc.isenabled()
    gc.disable()  # the cycle collector may not help
    try:
        x, w = Value(0.5), Value(-1.5)
        out = x
        inner = []
        for _ in range(50):
            out = (out * w + 1.0).tanh()
            inner.append(weakref.ref(out))
        out.backward()
        grads = (x.grad, w.grad)
        del out
        assert [r for r in inner if r() is not None] == []
        assert (x.grad, w.grad) == grads  # the leaves and their gradients stay
    finally:
        if gc_was_on:
            gc.enable()


# ---- the lecture's chapter 9: calling each node's _backward by hand

def test_backward_by_hand_in_the_lectures_order_gives_the_lectures_neuron_gradients():
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1, x2w2 = x1 * w1, x2 * w2
    x1w1x2w2 = x1w1 + x2w2
    n = x1w1x2w2 + b
    o = n.tanh()
    o.grad = 1.0  # the seed: backward() sets it, by hand we do
    for node in (o, n, x1w1x2w2, x2w2, x1w1):
        node._backward()
    assert round(n.grad, 4) == 0.5
    assert [round(v.grad, 4) for v in (x1, w1, x2, w2, b)] == [-1.5, 1.0, 0.5, 0.0, 0.5]
    for v in (x1, w1, x2, w2, b):
        v._backward()  # a leaf passes nothing on
    manual = [v.grad for v in (x1, w1, x2, w2, b)]
    for v in (x1, w1, x2, w2, b, x1w1, x2w2, x1w1x2w2, n):
        v.grad = 0.0
    o.backward()
    assert [v.grad for v in (x1, w1, x2, w2, b)] == manual


def test_each_backward_by_hand_passes_the_gradient_on_once():
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    c.grad = 1.0
    c._backward()
    assert (a.grad, b.grad) == (-3.0, 2.0)
    c._backward()  # a second call adds a second share, as the lecture's closures do
    assert (a.grad, b.grad) == (-6.0, 4.0)


# ---- the lecture's closure-style Value and the package's Value: the same numbers

def lecture_value():
    path = Path(__file__).resolve().parents[1] / "docs" / "snippets" / "lecture_value.py"
    spec = importlib.util.spec_from_file_location("lecture_value", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LectureValue


def tanh_broken_up(x1, x2, w1, w2, b):
    e = (2 * (x1 * w1 + x2 * w2 + b)).exp()
    return (e - 1) / (e + 1)


def reused_twice(a):
    b = a * 2.0
    e = b + a
    return b * e  # b reaches f directly and through e


NEURON = (2.0, 0.0, -3.0, 1.0, 6.8813735870195432)
LECTURE_EXPRESSIONS = {  # the lecture's examples: ops its Value has (+, *, **k, /, -, exp, tanh)
    "L = (a*b + c) * f": (lambda a, b, c, f: (a * b + c) * f, (2.0, -3.0, 10.0, -2.0)),
    "neuron": (lambda x1, x2, w1, w2, b: (x1 * w1 + x2 * w2 + b).tanh(), NEURON),
    "neuron, tanh broken up": (tanh_broken_up, NEURON),
    "b = a + a": (lambda a: a + a, (3.0,)),
    "f = b * e, b and e from a": (reused_twice, (1.5,)),
    "powers and division": (lambda a, b: a**3 / b - b**-2 + 2.0 * a, (1.7, -0.6)),
}


@pytest.mark.parametrize("name", LECTURE_EXPRESSIONS)
def test_the_lectures_closure_value_and_the_package_value_give_the_same_gradients(name):
    f, point = LECTURE_EXPRESSIONS[name]
    results = []
    for cls in (lecture_value(), Value):
        xs = [cls(x) for x in point]
        out = f(*xs)
        out.backward()
        results.append((out.data, [x.grad for x in xs]))
    (data1, grads1), (data2, grads2) = results
    assert data1 == pytest.approx(data2, rel=1e-15, abs=1e-15)
    assert grads1 == pytest.approx(grads2, rel=1e-13, abs=1e-15)


def test_a_subclass_with_its_own_backward_closures_is_respected():
    class AssignValue(Value):  # the lecture's bug: = instead of +=
        def __add__(self, other):
            out = AssignValue(self.data + other.data, (self, other), "+")

            def _backward():
                self.grad = out.grad
                other.grad = out.grad
            out._backward = _backward
            return out

    a = AssignValue(3.0)
    (a + a).backward()
    assert a.grad == 1.0  # the bug, reproduced
    a = Value(3.0)
    (a + a).backward()
    assert a.grad == 2.0


def test_a_node_made_by_hand_needs_its_local_derivatives():
    a = Value(2.0)
    with pytest.raises(TypeError, match=r"needs the local derivative .* _local="):
        Value(4.0, (a,), "square")
    out = Value(4.0, (a,), "square", _local=[4.0])
    out.backward()
    assert (a.grad, out._prev, out._local) == (4.0, (a,), (4.0,))
    with pytest.raises(ValueError, match="one local derivative per input"):
        Value(4.0, (a, a), "+", _local=[1.0])


# ---- copies and pickles of a node keep its graph

def test_copy_of_a_result_backpropagates_into_the_same_inputs():
    a, b = Value(2.0), Value(-3.0)
    c = copy.copy(a * b)
    c.backward()
    assert (a.grad, b.grad) == (-3.0, 2.0)


def test_pickle_round_trip_of_a_result_keeps_the_whole_graph():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    g = (a * b + a).tanh()
    h = pickle.loads(pickle.dumps(g))
    h.backward()
    g.backward()
    copies = {v.label: v for v in topological_order(h) if v.label}
    assert (copies["a"].grad, copies["b"].grad) == (a.grad, b.grad)
    assert a.grad != 0.0


# ---- gradients must be finite numbers too, and backward() says where one is not

NON_FINITE = [  # an expression whose forward is fine but whose gradient is not, and what the error says
    ("Value(2.0, label='x') ** 1023", OverflowError, r"backward\(\): the gradient of the node 'x' is inf.*op \*\*1023"),
    ("(lambda x: x ** 308 - x ** 308)(Value(10.0))", OverflowError, r"backward\(\): the gradient of a leaf .*\*\*308"),
    ("Value(1e-320).log()", OverflowError, r"backward\(\): the gradient of a leaf is inf.*op log"),
    ("1 / Value(1e-160)", OverflowError, r"backward\(\): the gradient of a leaf is -inf.*op \*\*-1"),
    ("Value(1e-300) * 1e200 * 1e200", OverflowError,
     r"backward\(\).*local derivative 1e\+200 times its gradient 1e\+200"),
]


@pytest.mark.parametrize("code, error, message", NON_FINITE, ids=[code for code, _, _ in NON_FINITE])
def test_a_gradient_that_is_not_finite_is_a_clear_error_from_backward(code, error, message):
    out = eval(code, {"Value": Value})
    assert math.isfinite(out.data)
    with pytest.raises(error, match=message) as caught:
        out.backward()
    assert "zero_grad()" in str(caught.value)


def test_after_a_failed_backward_zero_grad_then_backward_works():
    x = Value(1e-300)
    bad = x * 1e200 * 1e200  # fine forward, but d(bad)/dx = 1e400 overflows
    with pytest.raises(OverflowError):
        bad.backward()
    bad.zero_grad()
    assert all(v.grad == 0.0 for v in topological_order(bad))
    good = x * 2.0
    good.backward()
    assert x.grad == 2.0


def test_overflow_messages_show_every_digit_of_the_base():
    with pytest.raises(OverflowError, match=r"1\.0000001 \*\* 1e\+20 overflows"):
        Value(1.0000001) ** 1e20


# ---- other types get their turn: NotImplemented, not an error, for what Value does not know

class Other:
    """A type of some other library that knows how to combine itself with a Value."""

    def __radd__(self, v):
        return "Other.__radd__"

    __rsub__ = __rmul__ = __rtruediv__ = __rpow__ = __radd__

    def __add__(self, v):
        return "Other.__add__"

    __sub__ = __mul__ = __truediv__ = __pow__ = __add__


@pytest.mark.parametrize("code", ["v + o", "v - o", "v * o", "v / o", "v ** o", "o + v", "o - v", "o * v", "o / v",
                                  "o ** v"])
def test_binary_ops_return_not_implemented_for_types_they_do_not_know(code):
    expected = "Other.__radd__" if code.startswith("v") else "Other.__add__"
    assert eval(code, {"v": Value(2.0), "o": Other()}) == expected


def test_numpy_arrays_work_on_either_side():
    np = pytest.importorskip("numpy")
    left, right = Value(2.0) * np.array([1.0, 3.0]), np.array([1.0, 3.0]) * Value(2.0)
    assert [v.data for v in left] == [v.data for v in right] == [2.0, 6.0]
    assert isinstance(Value(2.0) + np.float64(1.5), Value)


def test_a_subclass_node_may_feed_the_packages_ops():
    class Plain(Value):
        pass

    x = Plain(0.5)
    out = (x * 2.0).tanh() + x.exp()
    out.backward()
    assert x.grad == pytest.approx(2 * (1 - math.tanh(1.0) ** 2) + math.exp(0.5), rel=1e-15)
