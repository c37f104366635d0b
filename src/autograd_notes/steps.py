"""Backprop, one node at a time: the frames of the stepper on the chain-rule and neuron pages.

``frames(root)`` runs the backward pass the way ``Value.backward()`` does (``root.grad = 1``, then each
node's ``_backward()`` in reversed topological order), but one node at a time, and writes down what each
call did. ``stepper(root)`` turns that record into an HTML block: the graph drawn once by
``autograd_notes.draw``, the steps as JSON for ``docs/assets/js/stepper.js``, and the same steps as a
plain list, readable without JavaScript.

A frame per node, in the order ``backward()`` visits them. When the walk reaches a node, every node
that uses it has already passed its gradient back (that is what the topological order is for), so the
node's gradient is complete: the frame shows it, and the chain-rule line of each contribution it got,

    dL/dv = dL/dp * dp/dv   (upstream gradient times local derivative; a sum if several nodes use v)

where ``p`` is a node that used ``v``.
"""

import html
import json
import re

from .draw import svg
from .engine import Value, topological_order

PRECISION = 4  # digits after the point, as in the drawn graph


def frames(root):
    """Run ``root``'s backward pass node by node and record it.

    The gradients must be zero before (call ``root.zero_grad()``); afterwards they are exactly what
    ``root.backward()`` gives, since the same ``_backward()`` calls run in the same order.

    Returns a list with one dict per node, in the order ``backward()`` visits them:
    ``{"node": i, "label": str, "grad": float, "terms": [{"from": j, "upstream": float,
    "local": float, "value": float}, ...]}``, where ``i`` and ``j`` index ``topological_order(root)``
    and ``terms`` are the contributions node ``i`` received, one per node ``j`` that uses it.
    """
    if not isinstance(root, Value):
        raise TypeError(f"frames() needs the Value to backpropagate from, got {type(root).__name__} {root!r}")
    order = topological_order(root)
    dirty = [v for v in order if v.grad != 0]
    if dirty:
        raise ValueError(
            f"{len(dirty)} nodes already have a gradient (e.g. {_name(dirty[0], order)} has {dirty[0].grad}): "
            "call root.zero_grad() before recording the backward pass"
        )
    index = {v: i for i, v in enumerate(order)}
    terms = {i: [] for i in range(len(order))}
    root.grad = 1.0
    for p in reversed(order):
        inputs = list(dict.fromkeys(p._prev))  # each input once, even in a + a
        if not inputs:
            continue  # a leaf: its _backward() does nothing
        local = _local(p, inputs)
        before = [c.grad for c in inputs]
        p._backward()  # the real step of backward()
        for c, old, d in zip(inputs, before, local):
            terms[index[c]].append({"from": index[p], "upstream": p.grad, "local": d, "value": c.grad - old})
    return [
        {"node": index[v], "label": _name(v, order), "grad": v.grad, "terms": terms[index[v]]}
        for v in reversed(order)
    ]


def _local(p, inputs):
    """The local derivatives d p / d input, measured with the node's own ``_backward()``.

    Dividing a contribution by the upstream gradient would also give them, but not when the upstream
    gradient is 0. So: set ``p.grad = 1`` for a moment, call ``p._backward()``, read how much each input's
    gradient grew (1 times the local derivative), and put every gradient back as it was. This uses only
    the public behaviour of ``_backward()`` (it adds ``p.grad`` times the local derivative to each input),
    however the engine stores its rules. An input used twice (``a * a``) gets the sum of both: that is its
    local derivative.
    """
    upstream, before = p.grad, [c.grad for c in inputs]
    p.grad = 1.0
    p._backward()
    local = [c.grad - old for c, old in zip(inputs, before)]
    for c, old in zip(inputs, before):
        c.grad = old
    p.grad = upstream
    return local


def _name(v, order):
    return v.label or f"node {order.index(v)}"


def fmt(x):
    """A number as the stepper and the drawn graph print it (4 decimals, no "-0.0000")."""
    s = f"{x:.{PRECISION}f}"
    return s[1:] if s.startswith("-") and float(s) == 0.0 else s


def line(frame, labels, root):
    """The chain-rule line of one frame, as plain text. ``labels[i]`` names node ``i``; ``root`` is its index."""
    name = [f"({x})" if any(ch in x for ch in " +-*/") else x for x in labels]  # ∂o/∂(x1*w1), not ∂o/∂x1*w1
    out, v = name[root], name[frame["node"]]
    d = f"∂{out}/∂{v}"
    if frame["node"] == root:
        return f"{d} = 1 (the output: a nudge of {v} moves {v} by as much)"
    if not frame["terms"]:
        return f"{d} = 0 (nothing uses {v})"
    symbols = " + ".join(f"∂{out}/∂{name[t['from']]} · ∂{name[t['from']]}/∂{v}" for t in frame["terms"])
    numbers = " + ".join(f"{fmt(t['upstream'])} × {fmt(t['local'])}" for t in frame["terms"])
    return f"{d} = {symbols} = {numbers} = {fmt(frame['grad'])}"


def stepper(root, caption="Backprop, one node at a time", **kw):
    """An HTML block that steps through ``root``'s backward pass (print it from an ``html="true"`` block).

    Runs the backward pass (the gradients must be zero before) and draws the graph once, with the final
    gradients; stepper.js blanks the gradients not yet reached and fills them in, one click per node.

    Args:
        root: the output Value.
        caption: the block's heading, plain text.
        **kw: passed to ``autograd_notes.draw.svg`` (e.g. ``rankdir="TB"``); ``precision`` is fixed.
    """
    record = frames(root)
    order = topological_order(root)
    labels = [_name(v, order) for v in order]
    picture = _mark(svg(root, precision=PRECISION, **kw), order)
    steps = [{"node": f["node"], "grad": fmt(f["grad"]), "line": line(f, labels, len(order) - 1)} for f in record]
    data = html.escape(json.dumps(steps, ensure_ascii=False, separators=(",", ":")), quote=True)
    items = "".join(f"<li>{html.escape(s['line'])}</li>" for s in steps)
    title = html.escape(caption)
    return (
        f'<div class="ag-stepper" data-steps="{data}">\n'
        f'<p class="ag-stepper-title"><strong>{title}</strong></p>\n'
        f'<div class="ag-graph" tabindex="0">\n{picture}</div>\n'
        f'<details class="ag-stepper-all"><summary>All {len(steps)} steps, in the order backward() '
        f"takes them</summary>\n<ol>{items}</ol>\n</details>\n</div>\n"
    )


_NODE = re.compile(r'<g class="node">(.*?)</g>', re.DOTALL)
_GRAD = re.compile(r"(<text\b[^>]*)(>grad [^<]*</text>)")


def _mark(picture, order):
    """Tag each Value's box and its "grad ..." text in the drawn SVG with ``data-ag-node="i"``.

    ``draw`` emits one ``<g class="node">`` per Value, in the order of ``draw.trace`` (op nodes in
    between have no "grad" text). This is checked: the number of grad texts must match the graph and each
    must show that Value's gradient, else the stepper would fill in the wrong boxes.
    """
    from .draw import trace

    nodes, _ = trace(order[-1])
    index = {v: i for i, v in enumerate(order)}
    seen = []

    def tag(m):
        body = m.group(1)
        if not _GRAD.search(body):
            return m.group(0)  # an op node
        v = nodes[len(seen)]
        seen.append(v)
        want = f">grad {fmt(v.grad)}</text>"
        i = index[v]
        body, n = _GRAD.subn(lambda g: f'{g.group(1)} data-ag-grad="{i}"{g.group(2)}', body, count=1)
        if n != 1 or want not in body:
            raise RuntimeError(f"stepper: the drawn box of {_name(v, order)} does not show its gradient {want!r}")
        return f'<g class="node" data-ag-node="{i}">{body}</g>'

    out = _NODE.sub(tag, picture)
    if len(seen) != len(nodes):
        raise RuntimeError(
            f"stepper: the drawing has {len(seen)} gradient boxes for {len(nodes)} Values; "
            "autograd_notes.draw changed its SVG layout, update steps._mark"
        )
    return out
