"""Running the pages' code in the reader's browser: Pyodide in a Web Worker (docs/assets/js/run.js).

The site is the strict build of conftest's `built_site`, served by test_browser's server under the sub-path
of site_url, in Debian's chromium; every request to another origin is aborted. Each page starts Pyodide once:
its blocks run in page order, unedited, and what they show must be what the build showed.

AUTOGRAD_NOTES_SITE=<a built site> skips the build (quick iteration on these tests; it may be stale).
"""

import hashlib
import importlib.util
import math
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "docs" / "assets" / "vendor"
sys.path.insert(0, str(ROOT / "hooks"))
runnable = importlib.import_module("runnable")  # hooks/runnable.py, which is no package

_spec = importlib.util.spec_from_file_location("ag_test_browser", Path(__file__).with_name("test_browser.py"))
_tb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_tb)
chromium, browser, site, prefix, base_url = _tb.chromium, _tb.browser, _tb.site, _tb.prefix, _tb.base_url

RUNTIME = ("assets/vendor/pyodide/", "assets/vendor/viz-js/", "assets/vendor/wheels/", "assets/wheels/",
           "assets/js/run-worker.mjs", "assets/js/run-actions.mjs")
PAGE_BUDGET = 15_000  # bytes a page may grow by before the first Run: run.js, run.css and the blocks' code
RUN_MS = 120_000  # the first Run of a page starts Pyodide (seconds); the moons demo trains for a while
# Output that depends on the interpreter, compared by pattern: (page, text in the block's output, regex of the
# varying part). Why: the worker sets a recursion limit of 400 (a Web Worker's stack is small; see
# run-worker.mjs), the build has CPython's; the page prints the limit and chain lengths that follow from it.
VARYING = [("topics/topological-sort/", "recursion limit", r" *\d+"),  # chain lengths from it, right-aligned
           ("topics/topological-sort/", "with limit", r"\d+")]
# Floats may differ in the last bit or two: exp() and tanh() of WebAssembly's C library round differently
# from glibc's (0.7071067811865476 for 0.7071067811865477), and a printed rounding error changes with them
# (6.7e-16 for 4.4e-16). Numbers are compared to these tolerances.
REL, ABS = 1e-12, 1e-12
NUMBER = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?")

# What a reader does to see a block: open the <details> around it, pick the content tab it sits in.
REVEAL_JS = """(b) => {
  for (let e = b.parentElement; e; e = e.parentElement) {
    if (e.tagName === 'DETAILS') e.open = true;
    if (e.classList.contains('tabbed-block')) {
      const i = [...e.parentElement.children].indexOf(e);
      e.closest('.tabbed-set').querySelectorAll(':scope > input')[i].checked = true;
    }
  }
}"""

# The page-side view of each runnable block: its output as text, or the labels of its graph.
OUTPUT_JS = """(b) => {
  const out = b.querySelector('[data-state]') || b.querySelector('.result') || b.querySelector('.ag-run-out')
    || b.querySelector('.jp-OutputArea')
    || b.querySelectorAll('.tabbed-block')[b.dataset.source === 'tabbed-left' ? 1 : 0];
  if (!out) return b.dataset.kind === 'cell' ? {text: '', labels: [], svgs: []} : {kind: 'none'};
  const cellText = [...out.querySelectorAll('.jp-OutputArea-output')]
    .map(e => (e.querySelector('pre') || e).textContent).join('');
  const svgs = [...out.querySelectorAll('svg')];
  const err = out.querySelector('.ag-run-error');
  return {
    state: out.dataset.state || null,
    error: err ? err.textContent : null,
    text: (b.dataset.kind === 'cell' ? cellText : (out.querySelector('code') || out).textContent)
      .replace(/\\n+$/, ''),
    labels: svgs.flatMap(s => [...s.querySelectorAll('text')].map(t => t.textContent.trim())).sort(),
    svgs: svgs.map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; }),
  };
}"""


# ---------------------------------------------------------------------------------------------- no browser


def test_vendored_files_match_their_checksums():
    sums = (VENDOR / "SHA256SUMS").read_text().split("\n")
    listed = {}
    for line in filter(None, sums):
        digest, name = line.split(maxsplit=1)
        listed[name] = digest
    for name, digest in listed.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, f"{name} changed: re-vendor it"
    shipped = {p.relative_to(VENDOR).as_posix()
               for d in ("pyodide", "viz-js", "wheels") for p in (VENDOR / d).iterdir()}
    assert shipped == set(listed), "docs/assets/vendor has files SHA256SUMS does not list (or the reverse)"
    script = (ROOT / "scripts" / "vendor_assets.sh").read_text()
    for var, path in (("PYODIDE_VERSION", "pyodide/VERSION"), ("VIZ_VERSION", "viz-js/VERSION")):
        version = re.search(rf'^{var}="([^"]+)"', script, re.MULTILINE).group(1)
        assert f" {version} " in (VENDOR / path).read_text(), f"{path} is not the version the script pins"
    graphviz = re.search(r'^GRAPHVIZ_VERSION="([^"]+)"', script, re.MULTILINE).group(1)
    assert f"wheels/graphviz-{graphviz}-py3-none-any.whl" in listed


def test_wheel_is_the_package_and_reproducible():
    import io
    import zipfile

    name, data = runnable.build_wheel(ROOT)
    assert runnable.build_wheel(ROOT)[1] == data, "two builds of the wheel differ"
    assert re.fullmatch(r"autograd_notes-[\d.]+-py3-none-any\.whl", name)
    files = zipfile.ZipFile(io.BytesIO(data)).namelist()
    sources = sorted(p.relative_to(ROOT / "src").as_posix() for p in (ROOT / "src" / "autograd_notes").glob("*.py"))
    assert sorted(f for f in files if f.endswith(".py")) == sources
    assert runnable.wheel_path(name, data) != runnable.wheel_path(name, data + b"x"), "the URL must follow the content"


def test_site_ships_the_wheel_of_its_sources(site):
    name, data = runnable.build_wheel(ROOT)
    assert (site / runnable.wheel_path(name, data)).read_bytes() == data


def test_blocks_that_cannot_run_say_why():
    assert runnable.why_not("import torch_run", False, "text", "x")
    assert runnable.why_not("import matplotlib.pyplot as plt", False, "text", "")
    assert runnable.why_not("print(plot.loss_curves(h))", True, "", "<svg>") is None
    assert runnable.why_not("print('| a |')", False, "", "| a |")
    assert runnable.why_not("print(1)", False, "text", "1") is None


def test_a_block_that_reads_a_name_of_a_block_that_cannot_run_cannot_run_either():
    s = runnable.Session()
    torch = "It needs PyTorch."
    assert s.why("import torch\nt = torch.ones(2)\nn = 3", torch) == torch
    assert s.why("print(n + 1)", None).startswith("It uses `n` from an earlier block")
    assert s.why("x = 2\nprint(x)", None) is None  # reads only what it binds itself
    assert s.why("n = 5", None) is None  # binds n again, here
    assert s.why("print(n, x)", None) is None
    assert "`t`" in s.why("def f():\n    return t.sum()", None)
    assert "`f`" in s.why("f()", None)  # f depends on t, so f cannot run either
    md = runnable.MARKDOWN  # a block printing Markdown still runs, unseen: what it binds is defined
    assert s.why("table = '| a |'\nprint(table)", md) == md
    assert s.why("print(table)", None) is None


def test_the_block_wrapper_fails_loudly_when_markdown_exec_stops_calling_base_format(monkeypatch):
    runnable.on_pre_build(None)  # wired: markdown-exec's python formatter looks up base_format
    formatters = dict(runnable._main.formatters)
    formatters["python"] = lambda **kw: "<pre>as a future markdown-exec might do it</pre>"
    monkeypatch.setattr(runnable._main, "formatters", formatters)
    with pytest.raises(runnable.PluginError, match="no longer looks up base_format"):
        runnable.on_pre_build(None)


# ---------------------------------------------------------------------------------------------- in chromium


def _pages(site):
    return sorted(str(p.parent.relative_to(site).as_posix() + "/").removeprefix("./") for p in site.rglob("index.html")
                  if runnable.RUNNABLE.search(p.read_text(encoding="utf-8")))


class Net:
    """Aborts every request that leaves the site; records the paths it fetched."""

    def __init__(self, page, base_url):
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
        self.base = base_url
        self.fetched, self.outside, self.types = [], [], {}
        page.route("**/*", self._route)
        page.on("response", lambda r: self.types.__setitem__(r.url, r.headers.get("content-type", "")))
        page.on("requestfinished", self._finished)

    def _route(self, route):
        u = urlsplit(route.request.url)
        if f"{u.scheme}://{u.netloc}" != self.origin and u.scheme not in ("data", "blob"):
            self.outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    def _finished(self, r):
        size = r.sizes()["responseBodySize"] if r.url.startswith(self.origin) else 0
        self.fetched.append((r.url.removeprefix(self.base), size))

    def runtime(self):
        return [u for u, _ in self.fetched if u.split("?")[0].startswith(RUNTIME)]


@pytest.fixture(scope="module")
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


def _open(context, base_url, path):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    net = Net(page, base_url)
    page.goto(base_url + path, wait_until="load")
    return page, net, errors


def _run(page, block, timeout=RUN_MS):
    """Click the block's Run button and wait until its output has a data-state; return what it shows."""
    block.evaluate(REVEAL_JS)
    button = block.get_by_role("button", name=re.compile("^Run"))
    button.click()
    page.wait_for_function("(b) => b.querySelector('[data-state]') && !b.querySelector('.ag-run-button').disabled",
                           arg=block.element_handle(), timeout=timeout)
    return block.evaluate(OUTPUT_JS)


def _same(path, built, ran):
    if built["labels"] or ran["labels"]:
        return built["labels"] == ran["labels"] and all(w > 0 and h > 0 for w, h in ran["svgs"])
    a, b = built["text"], ran["text"]
    for page, marker, pattern in VARYING:
        if page == path and marker in a:
            a, b = re.sub(pattern, "<varies>", a), re.sub(pattern, "<varies>", b)
    na, nb = NUMBER.findall(a), NUMBER.findall(b)
    close = len(na) == len(nb) and all(math.isclose(float(x), float(y), rel_tol=REL, abs_tol=ABS)
                                       for x, y in zip(na, nb))
    return close and NUMBER.sub("#", a) == NUMBER.sub("#", b)


@pytest.fixture(scope="module")
def every_block(context, site, base_url):
    """Every runnable block of every page, run once in page order: {path: [(index, built, ran, ms)]}."""
    report = {}
    for path in _pages(site):
        page, net, errors = _open(context, base_url, path)
        blocks = page.locator("div.ag-run:not([data-why])")
        rows = []
        for i in range(blocks.count()):
            block = blocks.nth(i)
            built = block.evaluate(OUTPUT_JS)
            t0 = time.perf_counter()
            try:
                ran = _run(page, block)
            except PlaywrightTimeout as e:  # report it with the others
                ran = {"state": "timeout", "error": f"{type(e).__name__}: {str(e)[:300]}", "text": "", "labels": []}
            rows.append((i, built, ran, round((time.perf_counter() - t0) * 1000)))
        report[path] = {"rows": rows, "errors": errors, "outside": net.outside,
                        "bytes": sum(s for _, s in net.fetched), "types": dict(net.types)}
        page.close()
    return report


def test_every_runnable_block_runs_as_it_did_at_build_time(every_block):
    problems = []
    for path, r in every_block.items():
        for i, built, ran, _ms in r["rows"]:
            if ran["state"] != "ok":
                problems.append(f"{path} block {i + 1}: {ran['state']}: {(ran['error'] or '')[-600:]}")
            elif not _same(path, built, ran):
                problems.append(f"{path} block {i + 1}: built {built['text'][:300]!r}\n   ran {ran['text'][:300]!r}"
                                f"\n   labels {built['labels'][:8]} vs {ran['labels'][:8]}")
        problems += [f"{path}: uncaught {e}" for e in r["errors"]]
        problems += [f"{path}: request to another origin {u}" for u in r["outside"]]
    assert not problems, "\n".join(problems)
    assert sum(len(r["rows"]) for r in every_block.values()) > 50


def test_runtime_is_served_with_the_right_types(every_block):
    types = {u: t for r in every_block.values() for u, t in r["types"].items()}
    for ending, expected in ((".mjs", "text/javascript"), (".wasm", "application/wasm")):
        got = {t for u, t in types.items() if urlsplit(u).path.endswith(ending)}
        assert got and all(t.startswith(expected) for t in got), f"{ending} served as {got}"


def test_nothing_loads_before_the_first_run(context, site, base_url):
    problems = []
    for path in _pages(site):
        page, net, _ = _open(context, base_url, path)
        page.wait_for_timeout(200)
        if net.runtime():
            problems.append(f"{path}: fetched {net.runtime()} before any Run")
        html = (site / path / "index.html").read_text(encoding="utf-8")
        tags = re.findall(r'<div class="ag-run"[^>]*>|<script[^>]*id="ag-run-config".*?</script>', html)
        code = sum(len(m.encode()) for m in tags)
        cells = re.findall(r'(<div class="jp-Cell jp-CodeCell[^"]*) ag-run"( id="[^"]*")([^>]*)>', html)
        code += sum(len(b' ag-run' + attrs.encode()) for _, _, attrs in cells)  # what runnable.py added
        extra = code + sum((site / "assets" / f).stat().st_size for f in ("js/run.js", "css/run.css"))
        if extra > PAGE_BUDGET:
            problems.append(f"{path}: {extra} bytes of run.js, run.css and block data (budget {PAGE_BUDGET})")
        page.close()
    assert not problems, "\n".join(problems)


def _home(context, base_url):
    page, _net, errors = _open(context, base_url, "")
    block = page.locator("div.ag-run:not([data-why])").first
    return page, block, errors


def _edit(page, block, code):
    block.get_by_role("button", name=re.compile("^Edit")).click()
    box = block.locator("textarea")
    box.fill(code)
    return box


def test_an_edited_block_prints_what_cpython_prints(context, base_url):
    page, block, errors = _home(context, base_url)
    code = block.evaluate("b => b.agCode()")
    assert "a = Value(-4.0)" in code, "the home page's first block is no longer micrograd's README example"
    edited = code.replace("a = Value(-4.0)", "a = Value(-3.0)")
    out = []
    cpython = {"print": lambda *a: out.append(" ".join(map(str, a)))}
    exec(compile(edited, "<home>", "exec"), cpython)  # noqa: S102  (CPython runs the same edit)
    box = _edit(page, block, edited)
    box.press("Control+Enter")  # runs, like the Run button
    page.wait_for_function("(b) => b.querySelector('[data-state]')", arg=block.element_handle(), timeout=RUN_MS)
    ran = block.evaluate(OUTPUT_JS)
    assert ran["state"] == "ok", ran["error"]
    assert ran["text"] == "\n".join(out)
    assert "24.7041" not in ran["text"]  # not the build's numbers
    assert not errors


def test_an_error_shows_and_the_next_run_works(context, base_url):
    page, block, errors = _home(context, base_url)
    _edit(page, block, "from autograd_notes import Value\nValue(1.0) + 'two'\n")
    ran = _run(page, block)
    assert ran["state"] == "error" and "TypeError" in ran["error"], ran
    block.get_by_role("button", name=re.compile("^Reset")).click()
    ran = _run(page, block)
    assert ran["state"] == "ok" and "g     = 24.7041" in ran["text"], ran
    assert not errors


def test_stop_ends_a_long_run_and_python_starts_again(context, base_url):
    page, block, errors = _home(context, base_url)
    ran = _run(page, block)  # Python is up
    assert ran["state"] == "ok"
    _edit(page, block, "while True:\n    pass\n")
    block.get_by_role("button", name=re.compile("^Run")).click()
    page.wait_for_timeout(500)
    block.get_by_role("button", name="Stop").click()
    page.wait_for_function("(b) => !b.querySelector('.ag-run-button').disabled", arg=block.element_handle())
    ran = block.evaluate(OUTPUT_JS)
    assert ran["state"] == "error" and "Stopped" in ran["error"]
    block.get_by_role("button", name=re.compile("^Reset")).click()
    ran = _run(page, block)
    assert ran["state"] == "ok" and "g     = 24.7041" in ran["text"], ran
    assert not errors


def test_every_notebook_cell_but_the_torch_ones_runs_in_the_page(every_block):
    """One session per notebook: a cell that cannot run (PyTorch) leaves out only the cells that use its names."""
    import json

    for nb in sorted((ROOT / "docs" / "notebooks").glob("*.ipynb")):
        cells = [c for c in json.loads(nb.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
        torch = [c for c in cells if re.search(r"\btorch", "".join(c["source"]))]
        ran = every_block[f"notebooks/{nb.stem}/"]["rows"]
        assert len(ran) == len(cells) - len(torch), f"{nb.name}: {len(ran)} of {len(cells)} cells runnable"


def test_a_rerun_figure_gets_its_viewer_and_reset_brings_back_the_live_built_one(context, base_url):
    page, _net, errors = _open(context, base_url, "notebooks/01-lecture-part-1/")
    cell = page.locator("[id='cell-id=p1-17']")  # HTML(figure(L)): the first graph of the notebook
    built = cell.locator(".ag-fig").element_handle()
    ran = _run(page, cell)
    assert ran["state"] == "ok" and "data -8.0000" in ran["labels"], ran
    assert cell.locator(".ag-fig .ag-fig-bar").count() == 1, "the figure a Run made has no zoom bar"
    cell.get_by_role("button", name=re.compile("^Reset")).click()
    assert cell.locator(".ag-fig").element_handle().evaluate("(a, b) => a === b", built), "Reset made a copy"
    zoom_out = cell.locator(".ag-fig-out")
    assert zoom_out.is_disabled()
    cell.locator(".ag-fig-in").click()  # the built viewer still works: zoomed in, it can zoom out
    assert zoom_out.is_enabled()
    assert not errors


def test_torch_blocks_say_why_and_have_no_run_button(context, base_url):
    page, _net, _ = _open(context, base_url, "topics/pytorch-comparison/")
    notes = page.locator("div.ag-run[data-why] .ag-run-why")
    assert notes.count() >= 1 and "PyTorch" in notes.first.inner_text()
    assert page.locator("div.ag-run[data-why]").get_by_role("button", name=re.compile("^Run")).count() == 0



if os.environ.get("AUTOGRAD_NOTES_SITE"):  # a site built before, to iterate on these tests without a rebuild
    @pytest.fixture(scope="session")
    def built_site():
        return Path(os.environ["AUTOGRAD_NOTES_SITE"])


# ---------------------------------------------------------------------------------------------- downloads


def test_a_downloaded_notebook_installs_the_site_wheel_and_runs(site, base_url, tmp_path):
    """The moons notebook, as the download button gives it, in a fresh venv with only ipykernel: its first
    code cell installs the site's wheel (from the test server, the same file), then it runs: plots too, without
    matplotlib."""
    import json
    import subprocess

    import nbclient
    import nbformat

    nb = json.loads((site / "notebooks" / "03-moons-demo" / "03-moons-demo.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert cell.get("id") == runnable.INSTALL_ID, "the first code cell of a download must install the package"
    install = "".join(cell["source"])
    url = re.search(r"@ (\S+\.whl)", install).group(1)
    path = url.split("/assets/wheels/", 1)[1]
    local = base_url + "assets/wheels/" + path
    assert (site / "assets" / "wheels" / path).is_file(), f"the install cell points at a wheel the site lacks: {url}"
    cell["source"] = install.replace(url, local)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([py, "-m", "pip", "install", "-q", "ipykernel"], check=True)
    subprocess.run([py, "-m", "ipykernel", "install", "--prefix", str(tmp_path / "k"), "--name", "fresh"],
                   check=True, capture_output=True)
    os.environ["JUPYTER_PATH"] = str(tmp_path / "k" / "share" / "jupyter")
    try:
        client = nbclient.NotebookClient(nbformat.reads(json.dumps(nb), as_version=4), kernel_name="fresh", timeout=600,
                                         resources={"metadata": {"path": str(tmp_path)}})
        client.execute()
    finally:
        del os.environ["JUPYTER_PATH"]
    where = subprocess.run([py, "-c", "import autograd_notes; print(autograd_notes.__file__)"],
                           capture_output=True, text=True, check=True).stdout
    assert str(venv) in where, f"autograd_notes came from {where}, not the fresh venv"
    has_mpl = "import importlib.util; print(importlib.util.find_spec('matplotlib') is not None)"
    assert subprocess.run([py, "-c", has_mpl], capture_output=True, text=True, check=True).stdout.strip() == "False"
