"""Graph drawings: the right nodes and labels, the same bytes every time, readable on any page."""

import re
import shutil
import subprocess
import sys
import textwrap

import pytest

from autograd_notes.draw import GraphvizNotFound, draw_dot, figure, inline_svg, svg, trace
from autograd_notes.engine import Value, topological_order

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")

# The lecture's running example (chapter 5), as a script so another process can run it too.
LECTURE = textwrap.dedent(
    """
    from autograd_notes.engine import Value
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    e = a * b; e.label = "e"
    d = e + c; d.label = "d"
    f = Value(-2.0, label="f")
    L = d * f; L.label = "L"
    """
)


def lecture():
    names = {}
    exec(LECTURE, names)
    return names


def records(source):
    return re.findall(r'^\s*(n\d+) \[label="(.*?)" .*shape=record', source, flags=re.M)


def node_ids(source):
    """{label: node id} of the labelled records, e.g. {"a": "n3"} (ids follow the traversal order)."""
    return {label.strip("{ ").split(" |")[0]: n for n, label in records(source)}


def op_nodes(source):
    return re.findall(r'^\s*(n\d+op) \[label="?([^" ]+)"? ', source, flags=re.M)


# ---- trace

def test_trace_lists_the_engines_topological_order_and_one_edge_per_operand_in_order():
    g = lecture()
    nodes, edges = trace(g["L"])
    assert nodes == topological_order(g["L"])
    assert sorted(v.label for v in nodes) == sorted("abcdefL")
    place = {v: i for i, v in enumerate(nodes)}
    assert all(place[c] < place[p] for c, p in edges)  # every Value after its inputs
    by_parent = {}
    for c, p in edges:
        by_parent.setdefault(p.label, []).append(c.label)
    assert by_parent == {"e": ["a", "b"], "d": ["e", "c"], "L": ["d", "f"]}  # operands in their order


def test_trace_keeps_one_edge_per_operand():
    a = Value(1.0, label="a")
    b = a + a
    nodes, edges = trace(b)
    assert len(nodes) == 2 and edges == [(a, b), (a, b)]


def test_trace_is_iterative():
    v = x = Value(0.5)
    for _ in range(20_000):  # far deeper than Python's recursion limit
        v = v.relu()
    nodes, edges = trace(v)
    assert len(nodes) == 20_001 and nodes[0] is x and nodes[-1] is v and len(edges) == 20_000


# ---- DOT source

def test_one_record_per_value_and_one_op_node_per_op():
    g = lecture()
    g["L"].backward()
    src = draw_dot(g["L"]).source
    recs, n = dict(records(src)), node_ids(src)
    assert len(recs) == 7
    assert recs[n["a"]] == "{ a | data 2.0000 | grad 6.0000 }"
    assert recs[n["b"]] == "{ b | data -3.0000 | grad -4.0000 }"
    assert recs[n["L"]] == "{ L | data -8.0000 | grad 1.0000 }"
    assert sorted(op_nodes(src)) == sorted([(n["e"] + "op", "*"), (n["d"] + "op", "+"), (n["L"] + "op", "*")])
    edges = re.findall(r"^\s*(n\w+) -> (n\w+)", src, flags=re.M)
    assert (n["a"], n["e"] + "op") in edges and (n["e"] + "op", n["e"]) in edges and (n["f"], n["L"] + "op") in edges
    assert len(edges) == 3 + 6  # op -> result, plus one per operand
    assert "rankdir=LR" in src


def test_show_grad_false_and_precision_and_top_to_bottom():
    g = lecture()
    src = draw_dot(g["L"], show_grad=False, precision=2, rankdir="TB").source
    assert all("grad" not in label for _, label in records(src))
    assert dict(records(src))[node_ids(src)["a"]] == "a | data 2.00"  # no braces: fields side by side in TB
    assert "rankdir=TB" in src


def test_unlabelled_values_have_no_empty_label_field_and_ops_show_their_name():
    x = Value(0.5)
    out = (x * 2).tanh().sigmoid().exp().log().relu() ** 3
    src = draw_dot(out).source
    assert [op for _, op in op_nodes(src)] == ["*", "tanh", "sigmoid", "exp", "log", "ReLU", "**3"]
    assert "{ data 0.5000 | grad 0.0000 }" in dict(records(src)).values()


def test_numbers_are_readable():
    big, tiny = Value(3e200, label="big"), Value(-1e-9, label="tiny")
    src = draw_dot(big * tiny).source
    recs, n = dict(records(src)), node_ids(src)
    assert recs[n["big"]] == "{ big | data 3.0000e+200 | grad 0.0000 }"
    assert recs[n["tiny"]] == "{ tiny | data 0.0000 | grad 0.0000 }"  # no "-0.0000"


def test_record_characters_in_labels_are_escaped():
    v = Value(1.0, label="{x|y} <z>")
    assert dict(records(draw_dot(v).source))["n0"] == r"{ \{x\|y\} \<z\> | data 1.0000 | grad 0.0000 }"


def test_bad_arguments():
    g = lecture()
    with pytest.raises(ValueError, match=r"rankdir must be one of"):
        draw_dot(g["L"], rankdir="sideways")
    with pytest.raises(ValueError, match=r"not part of this graph"):
        draw_dot(g["e"], highlight=[g["f"]])
    with pytest.raises(ValueError, match=r"7 Values, more than max_nodes=5"):
        draw_dot(g["L"], max_nodes=5)
    with pytest.raises(TypeError, match=r"expected a Value to draw, got float 2.0"):
        draw_dot(2.0)


def test_highlight_marks_exactly_the_given_values():
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    src = draw_dot(b, highlight=[a]).source
    marked = re.findall(r'^\s*(n\d+) \[.*class="ag-highlight"', src, flags=re.M)
    assert marked == ["n0"]
    assert draw_dot(b, highlight=a).source == src  # one Value needs no list


# ---- SVG

@needs_dot
def test_svg_is_an_inline_element_in_the_page_colours():
    g = lecture()
    g["L"].backward()
    out = svg(g["L"])
    assert out.startswith("<svg ") and out.rstrip().endswith("</svg>")
    for junk in ("<?xml", "<!DOCTYPE", "<!--", "<title>", ' id="', "&#45;", "#010203"):
        assert junk not in out
    assert 'stroke="currentColor"' in out and 'fill="currentColor"' in out
    assert not re.search(r'(fill|stroke)="(black|#000000|white|#ffffff)"', out)
    assert 'role="img"' in out
    assert 'aria-label="Computation graph of L: 7 values, 3 operations"' in out
    texts = re.findall(r"<text[^>]*>(.*?)</text>", out)
    assert texts.count("data -8.0000") == 1 and "grad 6.0000" in texts and texts.count("*") == 2
    custom = svg(g["L"], alt='L = (a*b + c) * f, "the lecture"')
    assert custom.count('aria-label="L = (a*b + c) * f, &quot;the lecture&quot;"') == 1


@needs_dot
def test_svg_highlight_has_a_class_for_the_site_css():
    a = Value(3.0, label="a")
    b = a + a
    out = svg(b, highlight=[a])
    assert out.count('class="node ag-highlight"') == 1
    assert out.count('class="node"') == 2  # the + node and b
    assert 'stroke="#e8590c"' in out


@needs_dot
def test_same_expression_same_bytes_in_one_process():
    first = svg(lecture()["L"])
    second = svg(lecture()["L"])  # new Value objects, new id()s
    assert first == second


@needs_dot
def test_same_expression_same_bytes_in_another_process():
    script = LECTURE + "\nfrom autograd_notes.draw import svg\nimport sys\nsys.stdout.write(svg(L))\n"
    outs = [
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    ]
    assert outs[0] == outs[1] == svg(lecture()["L"])


@needs_dot
def test_figure_wraps_the_svg_for_pages():
    g = lecture()
    out = figure(g["L"])
    assert out.startswith('<div class="ag-graph" tabindex="0">\n<svg ') and out.endswith("</svg>\n</div>\n")
    out = figure(g["L"], caption="L = d * f <after> backward", show_grad=False)
    assert out.startswith('<figure class="ag-figure">\n<div class="ag-graph" tabindex="0">')
    assert "<figcaption>L = d * f &lt;after&gt; backward</figcaption>" in out
    assert "grad" not in out.split("<figcaption>")[0]
    assert "\n\n" not in out  # a blank line would end a raw HTML block in Markdown


def test_missing_dot_names_the_install_command(monkeypatch):
    monkeypatch.setenv("PATH", "")
    g = lecture()
    assert "n0" in draw_dot(g["L"]).source  # building the graph needs no dot
    with pytest.raises(GraphvizNotFound, match=r"`dot` is not on PATH") as info:
        svg(g["L"])
    assert isinstance(info.value, RuntimeError)
    for command in ("apt-get install graphviz", "brew install graphviz", "conda install -c conda-forge graphviz"):
        assert command in str(info.value)


@needs_dot
def test_digraph_displays_itself_in_jupyter():
    g = lecture()
    bundle = draw_dot(g["L"])._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]


def test_engine_and_draw_import_without_the_graphviz_package():
    script = textwrap.dedent(
        """
        import sys
        sys.modules["graphviz"] = None  # as if it were not installed
        from autograd_notes import Value
        from autograd_notes.draw import draw_dot
        v = Value(2.0) * 3
        v.backward()
        try:
            draw_dot(v)
        except ImportError as e:
            print(e)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert "pip install graphviz" in out and "apt-get install graphviz" in out


def test_inline_svg_keeps_only_referenced_ids_prefixed_and_inks_in_current_color():
    doc = ('<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg width="10pt">\n<!-- made by a tool -->\n'
           '<metadata>m</metadata>\n<defs>\n</defs>\n<title>tooltip</title>\n'
           '<clipPath id="clip1"><rect/></clipPath>\n<g id="n3" clip-path="url(#clip1)">\n\n'
           '<path stroke="#000000"/></g>\n</svg>\n')
    out = inline_svg(doc, alt='a "plot"')
    assert out.startswith('<svg role="img" aria-label="a &quot;plot&quot;" width="10pt">')
    assert not any(word in out for word in ("<?xml", "DOCTYPE", "<!--", "<metadata", "<defs", "<title", "#000000"))
    assert 'id="n3"' not in out and 'stroke="currentColor"' in out and "\n\n" not in out
    prefixed = re.search(r'<clipPath id="(ag[0-9a-f]{8}-clip1)">', out)
    assert prefixed and f'url(#{prefixed.group(1)})' in out
    assert inline_svg(doc, alt='a "plot"') == out  # the same figure, the same bytes
