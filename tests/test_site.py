"""Checks on the built site: executed output, navigation, key numbers, no external requests.

The numbers in EXPECTED come from the lecture (see docs/master-notes.md). They are looked for in what
the page's executed blocks printed (recorded by the build: the `executed` fixture), never in its prose
or its shown source, and then in the page as a reader sees it. A change in the engine that breaks one
of them fails here.
"""

import html
import importlib.util
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
NOT_PAGES = ("assets", "snippets")  # folders of docs/ that hold no pages

pytestmark = pytest.mark.slow

# Key numbers that a page's executed blocks must print, as (value, decimal places to compare at).
# A page passes when some number in its blocks' output rounds to the same value at those places.
EXPECTED = {
    "index.md": [(24.7041, 4), (138.8338, 4), (645.5773, 4)],
    "topics/derivatives.md": [
        (20.0, 1),   # f(3) for f(x) = 3x^2 - 4x + 5
        (14.0, 2),   # its slope at x = 3
        (4.0, 1),    # d = a*b + c with a = 2, b = -3, c = 10
    ],
    "topics/value-object.md": [(-8.0, 1)],  # L = (a*b + c) * f
    "topics/chain-rule.md": [
        (-2.0, 1), (4.0, 1), (6.0, 1), (-4.0, 1),  # dL/dd (= dL/dc = dL/de), dL/df, dL/da, dL/db
        (-7.29, 2),  # L after one step of 0.01 * grad (the printed digits depend on the page)
    ],
    "topics/neuron-backprop.md": [
        (0.8814, 4), (0.7071, 4),  # n and o = tanh(n)
        (0.5, 4),                  # do/dn = 1 - o^2, and x2.grad
        (-1.5, 4), (1.0, 4),       # x1.grad, w1.grad
    ],
    "topics/node-used-twice.md": [(2.0, 1)],  # a.grad for b = a + a
    "topics/breaking-up-tanh.md": [(0.7071, 4), (-1.5, 4)],  # same neuron, tanh from exp
    "topics/mlp.md": [(41, 0)],  # parameters of MLP(3, [4, 4, 1])
    "topics/zero-grad-bug.md": [(138.8338, 4), (1852.2653, 4)],  # a.grad after 1 and 2 backward()
    "topics/micrograd-demo.md": [(337, 0)],  # parameters of MLP(2, [16, 16, 1])
    "exercises.md": [
        (6.336362190988558, 6),  # f(2, 3, 4)
        (-12.353553390593273, 5), (10.25699027111255, 5), (0.0625, 5),  # its gradient
        (2.1755153626, 6),  # softmax + NLL loss
        (0.041772570515350445, 6), (0.8390245074625319, 6),
        (0.005653302662216329, 6), (-0.8864503806400986, 6),
    ],
}
# The derivative table (reference/derivatives.md) has a row for each of these ops.
TABLE_OPS = {"a + b", "a * b", "a ** k", "a ** b", "exp(a)", "log(a)", "tanh(a)", "sigmoid(a)", "relu(a)",
             "dot(w, x, b)", "a - b", "a / b", "-a"}
TABLE_TOLERANCE = 1e-6  # the largest gap the page lets through

TORCH_PAGE = "topics/pytorch-comparison.md"
TORCH_X1_GRAD = "-1.5000003851533106"  # float32 first, then double: the lecture's printed value

ERROR_MARKERS = (
    re.compile(r"Traceback \(most recent call last\)"),
    re.compile(r"Execution of (python|pycon) code block"),  # markdown-exec's failure message
    # a notebook cell that wrote to stderr or raised (the page's inlined CSS names these types too)
    re.compile(r'<div[^>]*data-mime-type="application/vnd\.jupyter\.(stderr|error)"'),
)


# ---------------------------------------------------------------------------------------------
# Helpers


class _Text(HTMLParser):
    """Collects the visible text of a page (no scripts or styles)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(page_html):
    parser = _Text()
    parser.feed(page_html)
    return " ".join(parser.parts)


_NUMBER = re.compile(r"(?<![\w.])[-\u2212]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def numbers_in(text):
    """Every decimal number in a text ('−' counts as a minus sign)."""
    return [float(m.replace("\u2212", "-")) for m in _NUMBER.findall(text)]


def has_number(text, value, places):
    """True when a number in `text` equals `value` rounded to `places` decimals."""
    want = round(value, places)
    return any(round(x, places) == want for x in numbers_in(text))


def output_text(outputs):
    """What blocks printed, as a reader reads it: printed HTML (a table, a figure) counts by its text only."""
    return "\n".join(page_text(out) if "<" in out else out for out in outputs)


def built_page(site, source):
    """The HTML file that MkDocs makes of docs/`source` ("topics/mlp.md" -> topics/mlp/index.html)."""
    stem = source.removesuffix(".md")
    path = site / ("index.html" if stem == "index" else f"{stem}/index.html")
    assert path.is_file(), f"{source} was not built ({path})"
    return path.read_text(encoding="utf-8")


class _Table(HTMLParser):
    """The cells of every <table>: a list of tables, each a list of rows, each a list of cell texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


class _Refs(HTMLParser):
    """Collects the URLs a page loads: scripts, stylesheets, icons, images, media, fonts."""

    LOADING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest",
                    "apple-touch-icon", "shortcut"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "source", "audio", "video", "iframe", "embed", "track"):
            self.urls += [a[k] for k in ("src", "srcset") if a.get(k)]
        elif tag == "link" and set((a.get("rel") or "").split()) & self.LOADING_RELS:
            self.urls.append(a.get("href", ""))
        elif tag == "object" and a.get("data"):
            self.urls.append(a["data"])


def external(url):
    """True for a URL that leaves the site's origin (data: URIs and relative paths stay)."""
    first = url.strip().split()[0] if url.strip() else ""  # srcset: "url 2x, ..."
    parts = urlsplit(first)
    return bool(parts.netloc) or parts.scheme not in ("", "data")


class _PermissiveLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: unknown tags (!ENV, !relative, !!python/name) become plain values."""


_PermissiveLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_PermissiveLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def nav_files(nav):
    """The file paths listed in a MkDocs nav (external links left out)."""
    for item in nav:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for value in item.values():
                if isinstance(value, list):
                    yield from nav_files(value)
                elif isinstance(value, str) and "://" not in value:
                    yield value


def html_pages(site):
    return sorted(site.rglob("*.html"))


# ---------------------------------------------------------------------------------------------
# Tests


def test_helpers_read_numbers_and_tables():
    page = "<p>x1.grad = &minus;1.5000 and <code>o = 0.70710678</code></p><script>var n = 41;</script>"
    assert has_number(page_text(page), -1.5, 4) and has_number(page_text(page), 0.7071, 4)
    assert not has_number(page_text(page), 41, 0)  # scripts are not text
    assert not has_number(page_text(page), 0.7072, 4)
    assert output_text(['<svg><text x="20.0">a</text></svg>', "n = 3"]).split() == ["a", "n", "=", "3"]
    parser = _Table()
    parser.feed("<table><tr><th>op</th><th>gap</th></tr><tr><td><code>a + b</code></td><td>1e-9</td></tr></table>")
    assert parser.tables == [[["op", "gap"], ["a + b", "1e-9"]]]


def test_no_tracebacks_or_exec_errors(built_site):
    bad = []
    for path in html_pages(built_site):
        text = path.read_text(encoding="utf-8")
        bad += [f"{path.relative_to(built_site)}: {m.pattern}" for m in ERROR_MARKERS if m.search(text)]
    assert not bad, "error output in built pages:\n" + "\n".join(bad)


def test_every_page_is_in_the_nav():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_PermissiveLoader)
    listed = set(nav_files(config["nav"]))
    sources = {
        p.relative_to(DOCS).as_posix()
        for p in DOCS.rglob("*")
        if p.suffix in (".md", ".ipynb")
        and p.relative_to(DOCS).parts[0] not in NOT_PAGES
        and ".ipynb_checkpoints" not in p.parts
    }
    assert sources - listed == set(), "pages missing from the nav of mkdocs.yml"
    assert listed - sources == set(), "nav entries with no file in docs/"


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_key_numbers_are_printed_by_the_pages_blocks(built_site, executed, page):
    printed = output_text(executed.get(page, []))
    assert printed, f"{page}: no executed block printed anything"
    shown = page_text(built_page(built_site, page))
    missing = [f"{v} (to {p} places)" for v, p in EXPECTED[page] if not has_number(printed, v, p)]
    assert not missing, f"the blocks of {page} do not print: {', '.join(missing)}"
    hidden = [f"{v}" for v, p in EXPECTED[page] if not has_number(shown, v, p)]
    assert not hidden, f"{page} printed but does not show: {', '.join(hidden)}"


def test_pytorch_page_prints_torch_numbers_from_a_real_torch_run(executed):
    # `make test` and CI give the build .venv-torch's Python (AUTOGRAD_NOTES_TORCH_PYTHON); a build without
    # any torch would print "PyTorch is not installed" instead, and a deployment build refuses that.
    printed = output_text(executed.get(TORCH_PAGE, []))
    assert importlib.util.find_spec("torch") is not None or os.environ.get("AUTOGRAD_NOTES_TORCH_PYTHON"), (
        f"no PyTorch for the build ({sys.executable}): run it through `make test`, which sets up .venv-torch"
    )
    assert TORCH_X1_GRAD in printed, f"{TORCH_PAGE}: its blocks should print x1.grad = {TORCH_X1_GRAD}"
    assert "torch 2." in printed, f"{TORCH_PAGE}: the blocks should say which torch printed the numbers"


def test_no_external_assets(built_site):
    bad = []
    for path in html_pages(built_site):
        parser = _Refs()
        parser.feed(path.read_text(encoding="utf-8"))
        bad += [f"{path.relative_to(built_site)}: {u}" for u in parser.urls if external(u)]
    for path in sorted(built_site.rglob("*.css")):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", path.read_text(encoding="utf-8")):
            if external(url):
                bad.append(f"{path.relative_to(built_site)}: {url}")
        for url in re.findall(r"@import\s+['\"]([^'\"]+)", path.read_text(encoding="utf-8")):
            if external(url):
                bad.append(f"{path.relative_to(built_site)}: {url}")
    assert not bad, "assets loaded from another origin:\n" + "\n".join(bad)


def test_no_cdn_loaders(built_site):
    """Scripts that would fetch code from a CDN at run time (e.g. a MathJax loader)."""
    cdns = ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "unpkg.com", "fonts.googleapis.com",
            "fonts.gstatic.com", "api.github.com")
    bad = []
    for path in html_pages(built_site):
        text = html.unescape(path.read_text(encoding="utf-8"))
        bad += [f"{path.relative_to(built_site)}: {c}" for c in cdns if c in text]
    assert not bad, "\n".join(bad)


def test_maths_is_left_for_katex(built_site):
    """Home has inline and display maths, in arithmatex's generic markup, and loads the local KaTeX."""
    page_html = (built_site / "index.html").read_text(encoding="utf-8")
    assert '<span class="arithmatex">' in page_html and '<div class="arithmatex">' in page_html
    for asset in ("assets/vendor/katex/katex.min.js", "assets/vendor/katex/katex.min.css",
                  "assets/js/katex-init.js"):
        assert asset in page_html
        assert (built_site / asset).is_file()
    css = (built_site / "assets/vendor/katex/katex.min.css").read_text(encoding="utf-8")
    for font in re.findall(r"url\((fonts/[^)]+)\)", css):
        assert (built_site / "assets/vendor/katex" / font).is_file(), f"KaTeX font missing: {font}"


def test_derivative_table_has_a_checked_row_for_every_op(built_site):
    parser = _Table()
    parser.feed(built_page(built_site, "reference/derivatives.md"))
    assert len(parser.tables) == 1, f"expected one table on reference/derivatives.md, found {len(parser.tables)}"
    header, *rows = parser.tables[0]
    assert header == ["op", "forward", "local derivative", "checked at", "max gap"]
    by_op = {row[0]: row for row in rows}
    assert len(by_op) == len(rows), "an op has two rows"
    assert not TABLE_OPS - by_op.keys(), f"ops with no row: {sorted(TABLE_OPS - by_op.keys())}"
    for op, (_, forward, derivative, points, gap) in by_op.items():
        assert forward and derivative and points, f"{op}: an empty cell"
        assert 0 <= float(gap) <= TABLE_TOLERANCE, f"{op}: max gap {gap} is not a number <= {TABLE_TOLERANCE}"
