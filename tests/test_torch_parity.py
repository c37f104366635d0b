"""PyTorch as a second opinion: the same forward values and gradients, op by op and for whole nets.

Everything in PyTorch runs in float64, so the two engines agree to about 1e-12.
"""

import random
import warnings

import pytest

with warnings.catch_warnings():  # torch warns when NumPy is absent; we do not need NumPy
    warnings.simplefilter("ignore")
    torch = pytest.importorskip("torch", reason="PyTorch is not installed: pip install torch (see README)")

from autograd_notes.engine import Value  # noqa: E402
from autograd_notes.nn import MLP  # noqa: E402

F64 = torch.float64


def leaf(x):
    return torch.tensor(x, dtype=F64, requires_grad=True)


def both(f, *xs):
    """Run ``f`` on Values and on float64 tensors; return (ours, theirs) as (output, input grads)."""
    vs = [Value(x) for x in xs]
    out = f(*vs)
    out.backward()
    ts = [leaf(x) for x in xs]
    tout = f(*ts)
    tout.backward()
    return (out.data, [v.grad for v in vs]), (tout.item(), [t.grad.item() for t in ts])


def agree(ours, theirs, rel=1e-12, abs_tol=1e-13):
    assert ours[0] == pytest.approx(theirs[0], rel=rel, abs=abs_tol), "forward"
    assert ours[1] == pytest.approx(theirs[1], rel=rel * 100, abs=abs_tol), "gradients"


def uniform(lo, hi):
    return lambda rng: rng.uniform(lo, hi)


def away_from_zero(rng):
    return rng.choice([-1, 1]) * rng.uniform(0.1, 5.0)


# name: (function of Values or tensors, one sampler per input)
OPS = {
    "a + b": (lambda a, b: a + b, uniform(-5, 5), uniform(-5, 5)),
    "a - b": (lambda a, b: a - b, uniform(-5, 5), uniform(-5, 5)),
    "a * b": (lambda a, b: a * b, uniform(-5, 5), uniform(-5, 5)),
    "a / b": (lambda a, b: a / b, uniform(-5, 5), away_from_zero),
    "a ** b": (lambda a, b: a**b, uniform(0.1, 5), uniform(-3, 3)),
    "a ** 3": (lambda a: a**3, uniform(-5, 5)),
    "a ** -2": (lambda a: a**-2, away_from_zero),
    "a ** 0.5": (lambda a: a**0.5, uniform(0.1, 5)),
    "2 + a": (lambda a: 2 + a, uniform(-5, 5)),
    "1 - a": (lambda a: 1 - a, uniform(-5, 5)),
    "2 * a": (lambda a: 2 * a, uniform(-5, 5)),
    "1 / a": (lambda a: 1 / a, away_from_zero),
    "2 ** a": (lambda a: 2**a, uniform(-5, 5)),
    "-a": (lambda a: -a, uniform(-5, 5)),
    "exp": (lambda a: a.exp(), uniform(-5, 5)),
    "log": (lambda a: a.log(), uniform(0.01, 50)),
    "tanh": (lambda a: a.tanh(), uniform(-5, 5)),
    "sigmoid": (lambda a: a.sigmoid(), uniform(-20, 20)),
    "relu": (lambda a: a.relu(), away_from_zero),
    "a * b + a (a used twice)": (lambda a, b: a * b + a, uniform(-5, 5), uniform(-5, 5)),
}


@pytest.mark.parametrize("name", OPS)
def test_every_op_matches_pytorch(name):
    f, *samplers = OPS[name]
    rng = random.Random(name)
    for _ in range(25):
        agree(*both(f, *(s(rng) for s in samplers)))


def test_dot_matches_pytorch():
    rng = random.Random(7)
    for n in (1, 3, 8):
        w, x, b = [rng.uniform(-2, 2) for _ in range(n)], [rng.uniform(-2, 2) for _ in range(n)], rng.uniform(-1, 1)
        ws, xs, bv = [Value(v) for v in w], [Value(v) for v in x], Value(b)
        out = Value.dot(ws, xs, bv)
        out.backward()
        tw, tx, tb = leaf(w), leaf(x), leaf(b)
        tout = tb + (tw * tx).sum()
        tout.backward()
        assert out.data == pytest.approx(tout.item(), rel=1e-13)
        assert [v.grad for v in ws] == pytest.approx(tw.grad.tolist(), rel=1e-13)
        assert [v.grad for v in xs] == pytest.approx(tx.grad.tolist(), rel=1e-13)
        assert bv.grad == tb.grad.item() == 1.0


def readme_expression(a, b):
    """micrograd's README expression, each ``x += y`` written ``x = x + (y)`` (PyTorch dislikes in-place)."""
    c = a + b
    d = a * b + b**3
    c = c + (c + 1)
    c = c + (1 + c + (-a))
    d = d + (d * 2 + (b + a).relu())
    d = d + (3 * d + (b - a).relu())
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    return g


def test_micrograd_readme_example_matches_pytorch():
    ours, theirs = both(readme_expression, -4.0, 2.0)
    agree(ours, theirs)
    assert f"{ours[0]:.4f} {ours[1][0]:.4f} {ours[1][1]:.4f}" == "24.7041 138.8338 645.5773"


def lecture_neuron(leafmaker):
    x1, x2, w1, w2 = (leafmaker(v) for v in (2.0, 0.0, -3.0, 1.0))
    b = leafmaker(6.8813735870195432)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.backward()
    return o, (x1, x2, w1, w2)


def test_lecture_neuron_in_float64_matches_exactly_and_float32_explains_the_lecture_gap():
    o, ins = lecture_neuron(Value)
    to, tins = lecture_neuron(leaf)
    assert o.data == pytest.approx(to.item(), rel=1e-15)
    assert [v.grad for v in ins] == pytest.approx([t.grad.item() for t in tins], rel=1e-14, abs=1e-15)

    def as_in_the_lecture(v):  # torch.Tensor builds float32 first, then .double() widens it
        return torch.Tensor([v]).double().requires_grad_()

    _, lins = lecture_neuron(as_in_the_lecture)
    x1_grad = lins[0].grad.item()
    assert x1_grad != -1.5 and abs(x1_grad + 1.5) < 1e-6
    assert x1_grad == pytest.approx(-1.5000003851533106, rel=1e-14)  # the number the lecture prints


def torch_mlp(model):
    """The same weights as ``model`` in float64 tensors: a (W, b) pair per layer, W[j] = neuron j's weights."""
    return [
        (leaf([[wi.data for wi in n.w] for n in layer.neurons]), leaf([n.b.data for n in layer.neurons]))
        for layer in model.layers
    ]


def torch_forward(layers, x, acts):
    h = torch.tensor(x, dtype=F64)
    for (W, b), act in zip(layers, acts):
        h = W @ h + b
        h = {"tanh": torch.tanh, "relu": torch.relu, "linear": lambda t: t}[act](h)
    return h[0]


@pytest.mark.parametrize("style", ["lecture", "micrograd"])
def test_mlp_outputs_loss_and_every_parameter_gradient_match_pytorch(style):
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    model = MLP(3, [4, 4, 1], style=style, rng=random.Random(1337))
    acts = [layer.neurons[0].act for layer in model.layers]
    layers = torch_mlp(model)
    params = model.parameters()
    assert len(params) == 41 == sum(W.numel() + b.numel() for W, b in layers)

    for step in range(3):  # a few steps of gradient descent, in both engines
        ypred = [model(x) for x in xs]
        loss = sum((yp - yt) ** 2 for yp, yt in zip(ypred, ys))
        model.zero_grad()
        loss.backward()

        tpred = [torch_forward(layers, x, acts) for x in xs]
        tloss = sum((yp - yt) ** 2 for yp, yt in zip(tpred, ys))
        for W, b in layers:
            W.grad = b.grad = None
        tloss.backward()

        assert [yp.data for yp in ypred] == pytest.approx([t.item() for t in tpred], rel=1e-12, abs=1e-14)
        assert loss.data == pytest.approx(tloss.item(), rel=1e-12)
        ours = [p.grad for p in params]
        theirs = [g for W, b in layers for j in range(len(b)) for g in [*W.grad[j].tolist(), b.grad[j].item()]]
        assert ours == pytest.approx(theirs, rel=1e-10, abs=1e-12), f"step {step}"

        for p in params:
            p.data += -0.05 * p.grad
        with torch.no_grad():
            for W, b in layers:
                W -= 0.05 * W.grad
                b -= 0.05 * b.grad
