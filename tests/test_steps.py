"""autograd_notes.steps: the backprop stepper's frames are the real backward pass, one node at a time."""

import json
import re
import runpy
from html import unescape
from pathlib import Path

import pytest

from autograd_notes import Value
from autograd_notes.engine import topological_order
from autograd_notes.steps import fmt, frames, stepper

SNIPPET = Path(__file__).parents[1] / "docs" / "snippets" / "value_lecture_expression.py"


def lecture():
    return runpy.run_path(str(SNIPPET))["L"]


def neuron():
    x1, x2, w1, w2 = Value(2.0, label="x1"), Value(0.0, label="x2"), Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    return ((x1 * w1 + x2 * w2) + b).tanh()


@pytest.mark.parametrize("make", [lecture, neuron])
def test_frames_end_with_the_gradients_of_backward(make):
    record = frames(make())
    ref = make()
    ref.backward()
    want = [v.grad for v in reversed(topological_order(ref))]
    assert [f["grad"] for f in record] == want  # same calls, same order: equal to the last bit


def test_one_frame_per_node_in_the_order_backward_visits_them():
    L = lecture()
    record = frames(L)
    assert [f["label"] for f in record] == [v.label for v in reversed(topological_order(L))]
    assert record[0]["label"] == "L" and record[0]["grad"] == 1.0 and record[0]["terms"] == []


def test_terms_are_upstream_times_local():
    L = lecture()
    order = topological_order(L)
    by = {f["label"]: f for f in frames(L)}
    (t,) = by["a"]["terms"]  # e = a * b: local derivative de/da = b
    assert order[t["from"]].label == "e"
    assert t["local"] == -3.0 and t["upstream"] == -2.0 and t["value"] == 6.0
    (t,) = by["c"]["terms"]  # d = e + c: local derivative 1
    assert t["local"] == 1.0 and t["value"] == t["upstream"]


def test_local_derivative_when_the_upstream_gradient_is_zero():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    e = a * b
    out = e * Value(0.0, label="z")  # dout/de = 0: dividing by it would fail
    by = {f["label"]: f for f in frames(out)}
    (t,) = by["a"]["terms"]
    assert t["upstream"] == 0.0 and t["local"] == -3.0 and t["value"] == 0.0


def test_a_node_used_twice_sums_its_local_derivatives():
    a = Value(3.0, label="a")
    b = a * a
    by = {f["label"]: f for f in frames(b)}
    (t,) = by["a"]["terms"]
    assert t["local"] == 6.0 and by["a"]["grad"] == 6.0


def test_frames_refuse_a_graph_with_gradients():
    L = lecture()
    L.backward()
    with pytest.raises(ValueError, match="zero_grad"):
        frames(L)
    with pytest.raises(TypeError, match="Value"):
        frames(3.0)


def test_stepper_html_tags_every_box_and_carries_the_steps():
    L = lecture()
    out = stepper(L, rankdir="TB")
    steps = json.loads(unescape(re.search(r'data-steps="([^"]*)"', out).group(1)))
    order = topological_order(L)
    assert [order[s["node"]].label for s in steps] == [v.label for v in reversed(order)]
    assert all(s["grad"] == fmt(order[s["node"]].grad) for s in steps)
    assert len(re.findall(r'data-ag-grad="\d+"', out)) == len(order)
    assert len(re.findall(r'<g class="node" data-ag-node="\d+">', out)) == len(order)
    line = steps[[order[s["node"]].label for s in steps].index("e")]["line"]
    assert line == "∂L/∂e = ∂L/∂d · ∂d/∂e = -2.0000 × 1.0000 = -2.0000"
    assert out.count("<li>") == len(order)  # the same steps as a list, for readers without JavaScript
    assert stepper(lecture(), rankdir="TB") == out  # deterministic


def test_fmt_has_no_negative_zero():
    assert fmt(-0.00001) == "0.0000" and fmt(-1.5) == "-1.5000"
