"""Make the executed blocks of a page runnable in the reader's browser (docs/assets/js/run.js).

Two jobs, both at every build:

1. **Our wheel.** ``autograd_notes`` is packed from ``src/`` into a wheel, written into the site at
   ``assets/wheels/<hash>/autograd_notes-<version>-py3-none-any.whl``, where ``<hash>`` is the start
   of the wheel's sha256: a browser never runs a stale copy, and the page runs exactly the code that
   built it. The wheel is written by this hook (a wheel is a zip with three metadata files), not by a
   build backend: it takes milliseconds, needs nothing installed, and the same sources give the same
   bytes and so the same URL (every file is dated 1980-01-01, not SOURCE_DATE_EPOCH: a new commit that
   leaves src/ alone keeps the wheel, and the browser's cached copy of it).
   The notebooks' download copies get a first code cell that installs it from its URL under site_url,
   so a downloaded notebook runs in a fresh Jupyter or Colab.
2. **The blocks.** Each ```python exec="on"``` block's HTML, as markdown-exec made it, is wrapped in
   ``<div class="ag-run" ...>`` that tells run.js its session, how its output is shown and, when the
   page does not show all of it, its code (after snippets were included). run.js adds Run, Edit and
   Reset to each, and loads Pyodide only at the first Run. A block that cannot run in a browser carries
   ``data-why`` instead, which the page shows in place of a Run button; one whose only problem is its
   Markdown output also carries ``data-chain``: it still runs, unseen, before the later blocks of its session.
   A block that uses a name such a block defines cannot run either (``Session``); the others can.
3. **The notebook cells.** On a notebook page each code cell (``div.jp-CodeCell``, matched by its cell id
   with the notebook's cells) gets the same attributes; one notebook is one session.

markdown-exec has no public hook for this, so the wrapper replaces ``base_format`` in its Python
formatter module (the function every Python block goes through); the original is called unchanged.
"""

import ast
import base64
import hashlib
import html
import io
import json
import logging
import re
import tomllib
import zipfile
from pathlib import Path

from markdown_exec._internal import main as _main
from markdown_exec._internal.formatters import python as _python
from markupsafe import Markup
from mkdocs.exceptions import PluginError

if not hasattr(_python, "_ag_base_format"):  # the library's own function, kept across rebuilds
    _python._ag_base_format = _python.base_format

log = logging.getLogger("mkdocs.hooks.runnable")
WHEEL_DIR = "assets/wheels"  # in the site
CODE_DIR = "assets/run-code"  # in the site: hidden glue too long to carry in the page, fetched at the first Run
CODE_INLINE = 1000  # bytes of hidden code a page carries itself
# Why a block cannot run in the page: the first pattern its code matches gives the reason.
CANNOT_RUN = [
    (re.compile(r"\btorch"), "It needs PyTorch, which does not run in a browser."),
    (re.compile(r"\bmatplotlib\b"), "It needs matplotlib, which the in-browser Python does not have."),
    (re.compile(r"\b\d{1,3}(?:_000){2,}\b"), "It builds a graph of a million nodes or more: freeing that chain "
                                              "overflows the in-browser Python's stack."),
]
MARKDOWN = "Its output is Markdown, which is rendered when the site is built."
_state = {}
RUNNABLE = re.compile(r'<div class="(?:[^"]* )?ag-run[" ]')  # a block or cell marked runnable


# ---------------------------------------------------------------------------------------------- the wheel


def _zip_info(name):
    info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))  # the first date a zip can hold
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def build_wheel(root):
    """``(file name, bytes)`` of the wheel of the package in ``root/src``, from pyproject.toml's metadata."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name, version = project["name"].replace("-", "_"), project["version"]
    package = root / "src" / "autograd_notes"
    dist = f"{name}-{version}.dist-info"
    metadata = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {version}",
                f"Summary: {project['description']}", f"Requires-Python: {project['requires-python']}"]
    metadata += [f"Requires-Dist: {d}" for d in project.get("dependencies", [])]
    for extra, deps in project.get("optional-dependencies", {}).items():
        metadata += [f"Provides-Extra: {extra}"] + [f'Requires-Dist: {d}; extra == "{extra}"' for d in deps]
    files = {f"autograd_notes/{p.relative_to(package).as_posix()}": p.read_bytes()
             for p in sorted(package.rglob("*.py")) if "__pycache__" not in p.parts}
    files[f"{dist}/METADATA"] = ("\n".join(metadata) + "\n").encode()
    files[f"{dist}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: autograd-notes hooks/runnable.py\n" \
                             b"Root-Is-Purelib: true\nTag: py3-none-any\n"
    record = [f"{path},sha256={_b64(hashlib.sha256(data).digest())},{len(data)}" for path, data in files.items()]
    files[f"{dist}/RECORD"] = ("\n".join(record + [f"{dist}/RECORD,,"]) + "\n").encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for path, data in files.items():
            z.writestr(_zip_info(path), data)
    return f"{name}-{version}-py3-none-any.whl", buf.getvalue()


def _b64(digest):
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def wheel_path(filename, data):
    """The wheel's path in the site: a folder named after its content, so its URL changes with it."""
    return f"{WHEEL_DIR}/{hashlib.sha256(data).hexdigest()[:16]}/{filename}"


# ---------------------------------------------------------------------------------------------- the blocks


def why_not(code, html_output, result, printed):
    """Why the block cannot run in a browser, or None when it can."""
    for pattern, why in CANNOT_RUN:
        if pattern.search(code):
            return why
    if not html_output and not result and printed.strip():
        return MARKDOWN
    return None


def names(code):
    """``(bound, used)``: the names a block's code binds anywhere, and the names it reads that it does not bind."""
    bound, used = set(), set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names if a.name != "*")
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return bound, used - bound


class Session:
    """Which blocks of one session can run in the page, in page order. A block that cannot run (``why_not``)
    leaves its names undefined there, so a later block that reads one of them cannot run either; a runnable
    block that binds such a name again makes it defined."""

    def __init__(self):
        self.missing = {}  # name -> why the block that binds it cannot run here

    def why(self, code, why):
        bound, used = names(code)
        if not why:
            needs = sorted(used & self.missing.keys())
            if needs:
                why = (f"It uses {', '.join(f'`{n}`' for n in needs)} from an earlier block, which cannot run here. "
                       + self.missing[needs[0]])
        for name in bound:
            if why and why != MARKDOWN:
                self.missing.setdefault(name, why)
            else:
                self.missing.pop(name, None)
        return why


def _recording(run, seen):
    def recorded(code, **kwargs):
        out = run(code, **kwargs)
        seen.append(out)
        return out

    return recorded


def _format(**kwargs):
    """markdown-exec's ``base_format``, with the block's HTML wrapped in a ``div.ag-run``."""
    printed = []
    kwargs["run"] = _recording(kwargs["run"], printed)
    out = _python._ag_base_format(**kwargs)
    if not printed:  # the block raised: markdown-exec shows the error and the strict build fails
        return out
    try:
        return _wrap(out, kwargs, printed[0])
    except Exception:  # superfences would silently show the fence as text: fail the strict build instead
        log.exception("hooks/runnable.py could not mark a block as runnable")
        return out


def _wrap(out, kwargs, printed):
    code, html_output = kwargs["code"], bool(kwargs.get("html"))
    source, result = kwargs.get("source") or "", kwargs.get("result") or ""
    session = kwargs.get("session") or ""
    attrs = {"session": session, "source": source, "kind": "html" if html_output else "text"}
    why = why_not(code, html_output, result, printed)
    if session:
        why = _state["sessions"].setdefault(session, Session()).why(code, why)
    if why:
        attrs["why"] = why
    if why == MARKDOWN:  # it cannot show its output here, but later blocks of its session need what it defines
        attrs["chain"] = "1"
    # The code, unless the page shows all of it already (run.js reads it there: fewer bytes per page).
    shown = source and "markdown-exec: hide" not in code
    if not shown and (not why or (why == MARKDOWN and session)):
        if len(code.encode()) > CODE_INLINE:  # a file named after its content: the page stays small
            path = f"{CODE_DIR}/{hashlib.sha256(code.encode()).hexdigest()[:16]}.py"
            _state["code"][path] = code
            attrs["code-src"] = path
        else:
            attrs["code"] = code
    data = " ".join(f'data-{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    return Markup(f'<div class="ag-run" {data}>\n{out}\n</div>')


def on_config(config, **kwargs):
    root = Path(config.config_file_path).resolve().parent
    filename, data = build_wheel(root)
    _state["wheel"] = (wheel_path(filename, data), data)
    _state["code"] = {}  # site path -> the hidden code of a block (CODE_DIR)
    config.extra["ag_wheel"] = _state["wheel"][0]  # for templates, should one want the URL
    return config


def on_pre_build(config, **kwargs):
    """Put `_format` where markdown-exec's python formatter looks up base_format, and check that it looks there
    (as hooks/exec_cache.py checks its own patch): a library change fails the build, not the Run buttons."""
    _python.base_format = _format
    formatter = _main.formatters.get("python")  # what markdown-exec calls for a ```python fence
    code = getattr(formatter, "__code__", None)
    if code is None or "base_format" not in code.co_names or formatter.__globals__.get("base_format") is not _format:
        raise PluginError(
            "hooks/runnable.py: markdown-exec's python formatter no longer looks up base_format at run time, so "
            "no block would get a Run button. Install the versions of constraints.txt (scripts/setup.sh), or adapt "
            "the hook."
        )


def on_page_markdown(markdown, page, **kwargs):
    _state["sessions"] = {}  # session name -> Session, for this page
    return markdown


CELL_TAG = re.compile(r'<div class="(jp-Cell jp-CodeCell jp-Notebook-cell[^"]*)" id="cell-id=([^"]+)">')


def mark_cells(html_text, notebook, where):
    """The notebook page's HTML with each code cell marked as a block of the session "notebook": run.js reads
    its code in the page (mkdocs-jupyter's copy text) and shows what it displays in its output area."""
    cells = {c["id"]: "".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"}
    found = [cell_id for _, cell_id in CELL_TAG.findall(html_text)]
    if sorted(found) != sorted(cells) or len(set(found)) != len(found):
        raise PluginError(f"hooks/runnable.py: the code cells of {where} are not the ones its page shows "
                          f"(notebook {sorted(cells)}, page {found}): did mkdocs-jupyter's HTML change? "
                          "Install the versions of constraints.txt (scripts/setup.sh), or adapt CELL_TAG.")
    session = Session()

    def mark(m):
        classes, cell_id = m.groups()
        code = cells[cell_id]
        why = session.why(code, why_not(code, False, "text", ""))
        extra = f' data-why="{html.escape(why, quote=True)}"' if why else ""
        return (f'<div class="{classes.rstrip()} ag-run" id="cell-id={cell_id}" '
                f'data-session="notebook" data-kind="cell"{extra}>')

    return CELL_TAG.sub(mark, html_text)


def on_page_content(html_text, page, **kwargs):
    """Mark a notebook's cells as runnable; tell run.js where the wheels are, on pages that have runnable blocks
    (site-relative paths)."""
    if page.file.src_uri.endswith(".ipynb"):
        notebook = json.loads(Path(page.file.abs_src_path).read_text(encoding="utf-8"))
        html_text = mark_cells(html_text, notebook, page.file.src_uri)
    if not RUNNABLE.search(html_text):
        return html_text
    vendored = sorted((Path(kwargs["config"].docs_dir) / "assets" / "vendor" / "wheels").glob("*.whl"))
    wheels = [_state["wheel"][0]] + [f"assets/vendor/wheels/{p.name}" for p in vendored]
    config = json.dumps({"wheels": wheels})
    return html_text + f'\n<script type="application/json" id="ag-run-config">{config}</script>\n'


INSTALL_ID = "install-autograd-notes"


def install_cell(url):
    """The code cell a downloaded notebook starts with: it installs this site's wheel (plots need nothing else)."""
    return {"cell_type": "code", "execution_count": None, "id": INSTALL_ID, "metadata": {}, "outputs": [],
            "source": ["# The package these notes use, exactly as this site was built (its plots need nothing else).\n",
                       "# In a clone of the repository, `make lab` has it installed already: skip this cell.\n",
                       f'%pip install -q "autograd-notes @ {url}"']}


def add_install_cell(path, url):
    """Put ``install_cell(url)`` after the title cell of the notebook at ``path`` (a download copy)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c.get("id") != INSTALL_ID]
    at = 1 if cells and cells[0]["cell_type"] == "markdown" else 0
    nb["cells"] = cells[:at] + [install_cell(url)] + cells[at:]
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def on_post_build(config, **kwargs):
    path, data = _state["wheel"]
    out = Path(config.site_dir) / path
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    for code_path, code in sorted(_state["code"].items()):
        (Path(config.site_dir) / code_path).parent.mkdir(parents=True, exist_ok=True)
        (Path(config.site_dir) / code_path).write_text(code, encoding="utf-8")
    url = (config.site_url or "/").rstrip("/") + "/" + path
    for notebook in sorted(Path(config.site_dir).rglob("*.ipynb")):  # the copies behind "Download notebook"
        add_install_cell(notebook, url)

