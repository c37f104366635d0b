"""Data sets, losses, the training loop, the gradient checker, plots and the demo."""

import gc
import math
import random
import re
import subprocess
import sys

import pytest

from autograd_notes import MLP, Value, plot
from autograd_notes.data import lecture_dataset, make_moons
from autograd_notes.gradcheck import gradcheck, numerical_grad
from autograd_notes.train import Record, max_margin, mse, sse, sse_loss, train

# ---- data


def test_lecture_dataset():
    xs, ys = lecture_dataset()
    assert xs == [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    assert ys == [1.0, -1.0, -1.0, 1.0]
    xs[0][0] = 99.0  # a fresh copy each call
    assert lecture_dataset()[0][0][0] == 2.0


def test_make_moons_shape_labels_and_determinism():
    X, y = make_moons(101, noise=0.1, seed=5)
    assert len(X) == len(y) == 101
    assert all(len(p) == 2 and all(isinstance(c, float) for c in p) for p in X)
    assert (y.count(-1), y.count(1)) == (50, 51)
    assert make_moons(101, noise=0.1, seed=5) == (X, y)
    assert make_moons(101, noise=0.1, seed=6) != (X, y)
    assert y[:10] != sorted(y[:10]) or y[10:20] != sorted(y[10:20])  # shuffled, not 50 of one class then the other


def test_make_moons_without_noise_lies_on_the_two_half_circles():
    X, y = make_moons(40, noise=0.0, seed=0)
    for (a, b), label in zip(X, y):
        cx, cy = (0.0, 0.0) if label == -1 else (1.0, 0.5)
        assert math.isclose(math.hypot(a - cx, b - cy), 1.0, abs_tol=1e-12)
        assert (b >= -1e-12) if label == -1 else (b <= 0.5 + 1e-12)  # upper half, lower half


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_samples": 1}, "n_samples"),
        ({"n_samples": 10.0}, "n_samples"),
        ({"noise": -0.1}, "noise"),
        ({"noise": float("nan")}, "noise"),
        ({"seed": None}, "seed"),
    ],
)
def test_make_moons_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_moons(**kwargs)


# ---- losses


def test_sse_sums_and_mse_averages():
    ypred = [Value(0.5), Value(-0.5), Value(2.0)]
    loss = sse(ypred, [1.0, -1.0, 1.0])
    assert loss.data == 0.25 + 0.25 + 1.0
    loss.backward()
    assert [v.grad for v in ypred] == [-1.0, 1.0, 2.0]  # 2 (yp - y)
    assert mse([Value(0.5), Value(-0.5)], [1.0, -1.0]).data == 0.25
    with pytest.raises(ValueError, match="2 examples and 3 targets"):
        sse(ypred[:2], [1.0, -1.0, 1.0])


def test_max_margin_on_a_model_worked_by_hand():
    model = MLP(2, [1], style="micrograd")
    (w0, w1), b = model.layers[0].neurons[0].w, model.layers[0].neurons[0].b
    w0.data, w1.data, b.data = 1.0, 0.0, 0.0  # score = x[0]
    loss, acc = max_margin(model, [[2.0, 5.0], [-0.5, 5.0]], [1, 1], alpha=0.01)
    # hinges: max(0, 1 - 2) = 0 and max(0, 1 + 0.5) = 1.5; mean 0.75; L2: 0.01 * (1 + 0 + 0)
    assert loss.data == pytest.approx(0.76, abs=1e-15)
    assert acc == 0.5
    loss.backward()
    assert w0.grad == pytest.approx(0.5 * 0.5 + 0.02)  # d/dw0 of 0.5 * (1 - 1 * (-0.5 w0)) plus 2 alpha w0


def test_max_margin_matches_micrograds_formulation_bit_for_bit():
    X, y = make_moons(30, noise=0.1, seed=2)
    model = MLP(2, [8, 8, 1], style="micrograd", rng=random.Random(1337))
    loss, acc = max_margin(model, X, y)
    # the demo's loss, spelled out with plain Value operations
    scores = [model([Value(a), Value(b)]) for a, b in X]
    hinges = [(1 + -yi * s).relu() for yi, s in zip(y, scores)]
    spelled = sum(hinges) * (1.0 / len(hinges)) + 1e-4 * sum(p * p for p in model.parameters())
    assert loss.data == spelled.data
    assert acc == sum((yi > 0) == (s.data > 0) for yi, s in zip(y, scores)) / len(y)


# ---- training


def lecture_net(seed=0):
    return MLP(3, [4, 4, 1], rng=random.Random(seed))


def test_training_lowers_the_loss():
    xs, ys = lecture_dataset()
    history = train(lecture_net(), xs, ys, 20, lr=0.05)
    assert [r.step for r in history] == list(range(20))
    assert all(isinstance(r, Record) and r.lr == 0.05 for r in history)
    assert history[-1].loss < history[0].loss / 20
    assert history[-1].accuracy == 1.0


def test_each_record_is_the_model_before_its_update():
    xs, ys = lecture_dataset()
    model = lecture_net()
    seen = []
    train(model, xs, ys, 3, lr=0.1, callback=lambda r: seen.append((r.loss, sse_loss(model, xs, ys)[0].data)))
    assert len(seen) == 3 and all(a == b for a, b in seen)


def test_learning_rate_schedule_and_loss_without_accuracy():
    xs, ys = lecture_dataset()
    history = train(lecture_net(), xs, ys, 4, lr=lambda k: 0.1 / (k + 1), loss=lambda m, X, y: sse_loss(m, X, y)[0])
    assert [r.lr for r in history] == [0.1, 0.05, 0.1 / 3, 0.025]
    assert all(r.accuracy is None for r in history)


def test_forgetting_zero_grad_accumulates_gradients():
    # with zero_grad=False, step 2 moves each parameter by lr * (g1 + g2): the two gradients add up
    xs, ys = lecture_dataset()
    a, b = lecture_net(), lecture_net()
    train(a, xs, ys, 2, lr=0.1, zero_grad=False)
    start = [p.data for p in b.parameters()]
    for _ in range(2):  # the buggy loop, spelled out
        loss, _ = sse_loss(b, xs, ys)
        loss.backward()
        for p in b.parameters():
            p.data -= 0.1 * p.grad
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()] != start
    c = lecture_net()
    train(c, xs, ys, 2, lr=0.1)  # the correct loop ends elsewhere
    assert [p.data for p in c.parameters()] != [p.data for p in a.parameters()]


def test_forgetting_zero_grad_hurts_on_the_moons():
    X, y = make_moons(40, noise=0.1, seed=3)
    runs = {}
    for zero_grad in (True, False):
        model = MLP(2, [8, 8, 1], style="micrograd", rng=random.Random(1337))
        runs[zero_grad] = train(model, X, y, 30, lr=lambda k: 1.0 - 0.9 * k / 30, loss=max_margin, zero_grad=zero_grad)
    good, bad = runs[True], runs[False]
    assert good[0] == bad[0]  # the same start
    assert [r.loss for r in good] != [r.loss for r in bad]
    last = lambda h: sum(r.loss for r in h[-10:]) / 10  # noqa: E731
    assert last(bad) > 1.5 * last(good)  # the piled-up gradients overshoot again and again


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"steps": -1}, ValueError, "steps"),
        ({"steps": 1, "lr": "fast"}, TypeError, "lr must be"),
        ({"steps": 1, "loss": lambda m, X, y: 1.0}, TypeError, "must return a Value"),
        ({"steps": 1, "lr": float("nan")}, ValueError, "lr is nan, but a learning rate must be a finite number"),
        ({"steps": 1, "lr": float("inf")}, ValueError, "lr is inf"),
        ({"steps": 3, "lr": lambda k: 0.1 if k < 2 else float("inf")}, ValueError, r"lr\(2\) is inf"),
    ],
)
def test_train_rejects_bad_arguments(kwargs, error, message):
    xs, ys = lecture_dataset()
    with pytest.raises(error, match=message):
        train(lecture_net(), xs, ys, **kwargs)


def test_a_model_with_several_outputs_is_a_clear_error_in_the_loss():
    xs, ys = lecture_dataset()
    model = MLP(3, [4, 2], rng=random.Random(0))
    for loss in (sse_loss, max_margin):
        with pytest.raises(TypeError, match=r"gives a list of 2 outputs per example.*MLP\(3, \[4, 4, 1\]\)"):
            train(model, xs, ys, 1, loss=loss)


def test_the_loop_needs_no_garbage_collector():
    xs, ys = lecture_dataset()
    model = lecture_net()
    gc_was_on = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        train(model, xs, ys, 3, lr=0.05)
        assert gc.collect() == 0  # nothing left for the cycle collector: every step's graph is already freed
    finally:
        if gc_was_on:
            gc.enable()


# ---- gradient checking


def test_numerical_grad_of_the_lectures_function():
    (slope,) = numerical_grad(lambda x: 3 * x**2 - 4 * x + 5, [3.0])
    assert slope == pytest.approx(14.0, abs=1e-6)
    assert numerical_grad(lambda a, b, c: a * b + c, [2.0, -3.0, 10.0]) == pytest.approx([-3.0, 2.0, 1.0], abs=1e-6)


def test_gradcheck_passes_on_correct_gradients():
    err = gradcheck(lambda a, b, c: (a * b + c).tanh() * a + (b / c).exp() - c.relu(), [0.3, -0.5, 0.7])
    assert 0.0 <= err < 1e-8
    assert gradcheck(lambda a, b: a.sigmoid() * b.log(), {"a": 0.4, "b": 2.0}) < 1e-8


def test_gradcheck_catches_a_wrong_derivative(monkeypatch):
    def bad_tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), "tanh", _local=(1.0 - t,))  # wrong: the local derivative is 1 - t**2

    monkeypatch.setattr(Value, "tanh", bad_tanh)
    with pytest.raises(AssertionError, match=r"gradient of b .*backward\(\) gives .*central differences give"):
        gradcheck(lambda a, b: a * 2.0 + b.tanh(), {"a": 1.0, "b": 0.5})


def test_gradcheck_needs_a_value():
    with pytest.raises(TypeError, match="return a Value"):
        gradcheck(lambda a: 3.0, [1.0])


# ---- plots

def small_moons_model():
    X, y = make_moons(20, noise=0.1, seed=0)
    model = MLP(2, [4, 1], style="micrograd", rng=random.Random(0))
    return model, X, y


def all_plots():
    model, X, y = small_moons_model()
    return [
        plot.function_plot(lambda x: 3 * x**2 - 4 * x + 5, [i / 4 for i in range(-20, 21)], marks=[3], tangents=[3]),
        plot.loss_curves({"zero_grad": [3.0, 2.0, 1.0], "forgot": [3.0, 2.5, 2.6]}, ylog=True),
        plot.decision_boundary(model, X, y, step=0.5),
        plot.decision_boundaries([("a", model), ("b", model)], X, y, step=0.5),
        plot.html(bars()[0], alt="bars"),
    ]


def bars():
    """A barh figure as the pytorch-comparison page draws it: names on the left, a log x axis, first on top."""
    fig, axes = plot.subplots(size=(6.0, 2.6))
    ax = axes[0][0]
    ax.barh(["first", "second <b>"], [1e-16, 4e-7])
    ax.set_xscale("log")
    ax.set_xlim(1e-17, 1e-5)
    ax.invert_yaxis()
    fig.subplots_adjust(left=0.36)
    return fig, ax


def test_plots_are_inline_accessible_and_dark_mode_ready():
    for html in all_plots():
        assert html.startswith('<div class="ag-plot"><svg role="img" aria-label="') and html.endswith("</svg></div>")
        assert "<?xml" not in html and "DOCTYPE" not in html and "<metadata" not in html
        assert "<style" not in html  # matplotlib's global `*` rule must not leak into the page
        assert "#000000" not in html and "currentColor" in html
        assert re.search(r"<svg[^>]*>\s*<title>[^<]+</title>", html)
        ids = re.findall(r' id="([^"]+)"', html)
        assert len(ids) == len(set(ids))
        assert set(re.findall(r'(?:href="#|url\(#)([^")]+)', html)) <= set(ids)
        assert len(html) < 60_000


SCRIPT = """
import random
from autograd_notes import MLP, plot
from autograd_notes.data import make_moons
X, y = make_moons(20, noise=0.1, seed=0)
model = MLP(2, [4, 1], style="micrograd", rng=random.Random(0))
print(plot.decision_boundary(model, X, y, step=0.5), end="")
"""


def test_plots_are_the_same_in_another_process():
    # nothing in a plot may depend on the process (a hash seed, an id counter): compare two processes
    model, X, y = small_moons_model()
    here = plot.decision_boundary(model, X, y, step=0.5)
    there = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True).stdout
    assert here == there


def test_barh_draws_names_on_a_log_axis_first_on_top():
    fig, _ = bars()
    svg = plot.html(fig, alt="bars")
    first, second = (float(re.search(rf'y="([\d.]+)" text-anchor="end">{name}<', svg).group(1))
                     for name in ("first", "second &lt;b&gt;"))
    assert first < second  # invert_yaxis: the first name on top
    x = re.search(r'x="([\d.]+)" y="[\d.]+" text-anchor="end">first<', svg).group(1)
    assert float(x) == 0.36 * 6 * 72 - 6  # subplots_adjust(left=0.36): the labels end just left of the box
    powers = re.findall(r'<tspan dy="-4" font-size="7">(\S+?)</tspan>', svg)
    assert powers == ["\u221216", "\u221214", "\u221212", "\u221210", "\u22128", "\u22126"]  # every 2nd decade


def test_plot_options_are_checked():
    fig, ax = bars()
    with pytest.raises(ValueError, match="one width per name"):
        plot.subplots()[1][0][0].barh(["a", "b"], [1.0])
    with pytest.raises(ValueError, match="one call"):
        ax.barh(["c"], [1.0])
    with pytest.raises(ValueError, match="set_xscale takes 'linear' or 'log'"):
        ax.set_xscale("symlog")
    with pytest.raises(ValueError, match="fraction of the figure's width"):
        fig.subplots_adjust(left=36)
    with pytest.raises(TypeError, match="does not take squeeze"):
        plot.subplots(squeeze=False)


def test_a_given_colour_takes_no_turn_of_the_palette():
    fig, axes = plot.subplots()
    ax = axes[0][0]
    ax.plot([0, 1], [0, 1], color="black", alpha=0.3)
    ax.plot([0, 1], [1, 0])
    svg = plot.html(fig, alt="two lines")
    assert f'stroke="{plot.PALETTE[0]}"' in svg and 'opacity="0.3"' in svg


def test_best_legend_hides_no_line_and_math_is_drawn():
    fig, axes = plot.subplots()
    ax = axes[0][0]
    ax.plot([0, 10], [10, 10], label="$w_1$ high")  # a line along the top: the legend goes below it
    ax.set_ylim(0, 11)
    ax.legend()
    svg = plot.html(fig, alt="one line")
    y = float(re.search(r'<text x="[\d.]+" y="([\d.]+)"><tspan font-style="italic">w</tspan><tspan dy="3"', svg)[1])
    assert y > 100 and "$" not in svg  # lower down than the line (y = 10 is about 23 units from the top)
    with pytest.raises(ValueError, match="loc='best' or one of upper right"):
        ax.legend(loc="top")


def test_loss_curves_take_histories():
    xs, ys = lecture_dataset()
    history = train(lecture_net(), xs, ys, 5, lr=0.05)
    assert "accuracy per step" in plot.loss_curves({"run": history}, key="accuracy", overlay=False)
    with pytest.raises(ValueError, match="non-empty dict"):
        plot.loss_curves([1.0, 2.0])


# ---- the demo


def test_demo_runs_from_the_command_line():
    proc = subprocess.run(
        [sys.executable, "-m", "autograd_notes.demo", "--steps", "3"], capture_output=True, text=True, check=True
    )
    lines = proc.stdout.splitlines()
    assert [line.split(" loss")[0] for line in lines[:3]] == ["step 0", "step 1", "step 2"]
    assert re.fullmatch(r"step 2 loss \d+\.\d{6}, accuracy \d+\.\d%", lines[2])
    assert re.fullmatch(r"final: 337 parameters, 3 steps, loss \d+\.\d+, accuracy \d+\.\d%", lines[3])


def test_demo_run_is_reusable():
    from autograd_notes.demo import lr, run

    model, history, (X, y) = run(steps=2, n_samples=20)
    assert len(history) == 2 and len(X) == 20 and len(model.parameters()) == 337
    assert lr(0) == 1.0 and lr(50) == pytest.approx(0.55)
