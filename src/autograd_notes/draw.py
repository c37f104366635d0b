"""Draw the graph behind a Value, the way the lecture does: one box per Value, one small node per op.

- ``trace(root)`` lists the Values and the edges between them, in a stable order.
- ``draw_dot(root)`` builds a ``graphviz.Digraph`` (it displays itself in Jupyter).
- ``svg(root)`` and ``figure(root)`` render it with Graphviz's ``dot`` program, as inline SVG
  for web pages: strokes and text in ``currentColor``, so the graph follows a light or dark page.
- ``inline_svg(text, alt)`` is that clean-up on its own, for any SVG document a page prints.

Node ids come from the traversal order (``n0``, ``n1``, ...; the op feeding ``n3`` is ``n3op``),
never from ``id()``, so the same expression always gives the same SVG, byte for byte.
"""

import hashlib
import html
import re
import shutil
import sys

from .engine import Value, topological_order

INSTALL = (
    "install Graphviz: `apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS) "
    "or `conda install -c conda-forge graphviz`; the pip package `graphviz` does not include it"
)
INK = "#010203"  # a stand-in colour for strokes and text; svg() turns it into currentColor
HIGHLIGHT = "#e8590c"  # orange: readable on white and on a dark page (the site CSS may restyle it)
RANKDIRS = ("LR", "RL", "TB", "BT")


class GraphvizNotFound(RuntimeError):
    """Graphviz's ``dot`` program is not on PATH."""


def trace(root):
    """Every Value that ``root`` depends on, and the edges between them.

    Returns ``(nodes, edges)``: ``nodes`` is ``engine.topological_order(root)``, each Value once, after
    its inputs (the order ``backward()`` walks in reverse); ``edges`` holds one ``(child, parent)`` pair
    per operand, sorted by the parent's place in ``nodes`` and then by operand position, so ``a + a``
    gives two edges.
    """
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value to draw, got {type(root).__name__} {root!r}")
    nodes = topological_order(root)
    edges = [(c, v) for v in nodes for c in v._prev]
    return nodes, edges


def draw_dot(root, rankdir="LR", highlight=(), show_grad=True, precision=4, max_nodes=2000):
    """The graph behind ``root`` as a ``graphviz.Digraph``: a record ``{ label | data | grad }``
    per Value and a small node per op (``+``, ``*``, ``tanh``, ...) feeding it.

    Args:
        root: the Value whose graph to draw.
        rankdir: ``"LR"`` (left to right, as in the lecture), ``"RL"``, ``"TB"`` or ``"BT"``.
        highlight: a Value or Values to mark (e.g. a node used twice); each must be in the graph.
        show_grad: ``False`` leaves out the grad field (diagrams drawn before ``backward()``).
        precision: digits after the decimal point.
        max_nodes: refuse bigger graphs (``dot`` gets slow and the picture unreadable).
    """
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {RANKDIRS}, got {rankdir!r}")
    nodes, edges = trace(root)
    if len(nodes) > max_nodes:
        raise ValueError(
            f"this graph has {len(nodes)} Values, more than max_nodes={max_nodes}; draw a smaller "
            f"expression (e.g. one neuron) or pass a larger max_nodes"
        )
    index = {v: i for i, v in enumerate(nodes)}
    marked = set()
    for v in (highlight,) if isinstance(highlight, Value) else highlight:
        if v not in index:
            raise ValueError(f"highlight: {v!r} is not part of this graph; pass Values that root depends on")
        marked.add(v)

    graphviz = _import_graphviz()
    g = graphviz.Digraph(
        "autograd",
        # ordering="in": an op's operands are laid out in their order (a above b), whatever order the nodes come in
        graph_attr={"rankdir": rankdir, "bgcolor": "transparent", "nodesep": "0.25", "ranksep": "0.4",
                    "ordering": "in"},
        node_attr={"fontname": "monospace", "fontsize": "10", "color": INK, "fontcolor": INK},  # 10 pt: 13 px
        edge_attr={"color": INK, "arrowsize": "0.7"},
    )
    sideways = rankdir in ("LR", "RL")  # a record lays its fields out across the rank direction
    for i, v in enumerate(nodes):
        fields = [_escape(v.label)] if v.label else []
        fields.append(f"data {_fmt(v.data, precision)}")
        if show_grad:
            fields.append(f"grad {_fmt(v.grad, precision)}")
        body = " | ".join(fields)
        style = {"class": "ag-highlight", "color": HIGHLIGHT, "penwidth": "2.5"} if v in marked else {}
        g.node(f"n{i}", "{ " + body + " }" if sideways else body, shape="record", **style)
        if v._op:
            g.node(f"n{i}op", v._op.replace("\\", "\\\\"), shape="ellipse", margin="0.05,0.02",
                   width="0.3", height="0.3")
            g.edge(f"n{i}op", f"n{i}")
    for c, v in edges:
        p = index[v]
        g.edge(f"n{index[c]}", f"n{p}op" if v._op else f"n{p}")
    return g


def svg(root, alt=None, **kw):
    """``root``'s graph as an inline ``<svg>`` element for a web page (no XML prolog).

    Strokes and text use ``currentColor``; the SVG has ``role="img"`` and an ``aria-label``.

    Args:
        root: the Value whose graph to draw.
        alt: the text a screen reader says; by default a summary of the graph.
        **kw: passed to ``draw_dot`` (rankdir, highlight, show_grad, precision, max_nodes).
    """
    out = render(draw_dot(root, **kw))
    if alt is None:
        nodes, _ = trace(root)
        ops = sum(1 for v in nodes if v._op)
        name = f" {root.label}" if root.label else ""
        alt = f"Computation graph of{name}: {len(nodes)} values, {ops} operations"
    return inline_svg(out, alt, ink=INK)


def inline_svg(text, alt, ink="#000000"):
    """An SVG document (Graphviz's, or any other) as an ``<svg>`` element to print into a web page.

    The one clean-up for every figure on the site: no XML prolog or DOCTYPE, no comments, tooltips
    (``<title>``), metadata or empty ``<defs>``; the colour ``ink`` becomes ``currentColor``, so the
    figure follows a light or dark page; an id survives only where the figure refers to it
    (``href="#..."``, ``url(#...)``), prefixed with a hash of the figure, so two figures on one page
    never clash; ``role="img"`` and ``aria-label=alt`` for screen readers; no blank lines.

    Args:
        text: the SVG as its tool wrote it.
        alt: what a screen reader says, e.g. ``"loss curve of the moons demo"``.
        ink: the stand-in colour the figure was drawn in, to become ``currentColor``.
    """
    out = text[text.index("<svg"):]
    out = re.sub(r"<!--.*?-->", "", out, flags=re.S)
    out = re.sub(r"<title>.*?</title>", "", out, flags=re.S)  # tooltips like "n3op->n3" mean nothing to a reader
    out = re.sub(r"\s*<metadata>.*?</metadata>", "", out, flags=re.S)
    out = re.sub(r"<defs>\s*</defs>", "", out)
    used = set(re.findall(r'(?:href="#|url\(#)([^")]+)', out))
    prefix = "ag" + hashlib.sha256(out.encode()).hexdigest()[:8] + "-"
    out = re.sub(r' id="([^"]*)"', lambda m: f' id="{prefix}{m.group(1)}"' if m.group(1) in used else "", out)
    out = re.sub(r'(href="#|url\(#)([^")]+)', lambda m: m.group(1) + prefix + m.group(2), out)
    out = out.replace(ink, "currentColor").replace("&#45;", "-")  # Graphviz writes - as &#45;
    out = out.replace("<svg ", f'<svg role="img" aria-label="{html.escape(alt)}" ', 1)
    return "\n".join(line for line in out.splitlines() if line.strip()) + "\n"


def render(g):
    """A ``graphviz.Digraph`` as SVG text: with Graphviz's ``dot``, or in a web page (Pyodide, where
    ``sys.platform`` is ``"emscripten"``) with Graphviz compiled to WebAssembly (viz-js, see run-worker.mjs).
    viz-js has no font files: it measures Courier, whose widths match the monospace the page shows."""
    if sys.platform == "emscripten":
        import js  # Pyodide's bridge to the worker's JavaScript

        return js.agRenderDot(g.source.replace("fontname=monospace", "fontname=Courier"))
    if shutil.which("dot") is None:
        raise GraphvizNotFound(f"the Graphviz program `dot` is not on PATH; {INSTALL}")
    try:
        return g.pipe(format="svg", encoding="utf-8")
    except _import_graphviz().ExecutableNotFound as e:
        raise GraphvizNotFound(f"the Graphviz program `dot` could not be run ({e}); {INSTALL}") from None


def figure(root, caption=None, **kw):
    """``svg(root, **kw)`` in a ``<div class="ag-graph" tabindex="0">`` (it scrolls sideways on a phone), with
    an optional caption (plain text) below it."""
    out = f'<div class="ag-graph" tabindex="0">\n{svg(root, **kw)}</div>\n'
    if caption is None:
        return out
    return f'<figure class="ag-figure">\n{out}<figcaption>{html.escape(caption)}</figcaption>\n</figure>\n'


def _fmt(x, precision):
    s = f"{x:.{precision}e}" if abs(x) >= 1e6 else f"{x:.{precision}f}"
    return s[1:] if s.startswith("-") and float(s) == 0.0 else s  # no "-0.0000"


def _escape(text):
    """Escape the characters that mean something inside a Graphviz record label."""
    return re.sub(r'([\\{}|<>"])', r"\\\1", str(text))


def _import_graphviz():
    try:
        import graphviz
    except ImportError:
        raise ImportError(f"drawing needs the Python package graphviz: `pip install graphviz`, and {INSTALL}") from None
    return graphviz
