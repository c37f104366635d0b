"""Notebook pages: this hook runs the notebooks, and mkdocs-jupyter turns each executed copy into a page.

1. **Run beside the Markdown pages.** The hook runs the notebooks itself, with nbclient (the library
   mkdocs-jupyter would call), in one background thread started as soon as the build knows its files.
   A notebook's kernel is a process of its own, so on a machine of two cores it computes while the main
   thread executes the Markdown pages' blocks. The hook puts the notebook pages last among the files, so
   they are built after every Markdown page; each waits for its own run. mkdocs-jupyter then converts
   the executed copy (`execute: false` in mkdocs.yml; its `kernel_name` and `allow_errors` are the ones
   this hook runs with). Two options keep builds reproducible: one block of printed output per cell
   (`coalesce_streams`: else the kernel's chunks, split where timing says, are kept as they come) and
   no timings in the cells' metadata (they would change the executed copy at every run).
2. **Cached, keyed on the whole environment.** An executed copy is kept in
   `.cache/notebooks/env-<key>/<hash of the notebook and options>/<its name>`, where `<key>` is
   `site_tools.cache.environment`, the key of the block cache: an edit to src/ or an upgrade of Python,
   Graphviz, a tool or PyTorch means a fresh run. Folders of other keys are removed. A copy that does not
   read back as a notebook is a miss, and is replaced. mkdocs-jupyter's own cache (the HTML of each copy,
   keyed on the copy's bytes) sits in a folder of the same key. The plugin writes its files in place (a
   killed build can leave half a file) and a bad file would fail every later build, so each file is
   checked before the build and a bad one deleted: a miss, not an error. `NOTEBOOK_CACHE=false` (or
   `BUILD_CACHE=false`) turns both off.
3. **Shared CSS.** Each notebook page carries about 590 KB of JupyterLab CSS in <style> blocks, the same
   on every page. Each block becomes a file, assets/css/notebook-<hash>.css, linked where the block stood:
   a browser downloads it once, a page shrinks to a fifth. Same CSS, same name: builds stay reproducible.
4. **No CDN.** The plugin appends a script that would fetch MathJax from a public CDN; KaTeX
   (docs/assets/js/katex-init.js) renders notebook maths from the site's own origin, so it is dropped.
5. **Errors name the notebook and the cell.** A strict build stops at a failing cell: "Error reading page
   'notebooks/....ipynb': cell 7 failed: ...". A non-strict one (`make serve`) shows the error as the
   notebook's page instead, and warns with the notebook's name, so the writer sees it where they are
   looking (and the server keeps serving).
"""

import concurrent.futures
import hashlib
import html
import logging
import re
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url
from nbclient import NotebookClient

from site_tools import cache

log = logging.getLogger("mkdocs.hooks.notebooks")
PLUGIN = "mkdocs-jupyter"
TIMEOUT = 900  # seconds one cell may run before the build stops with an error
STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
MIN_SIZE = 2000  # small <style> blocks are cheaper inline than as a request
LOADER = re.compile(r"<script data-mkdocs-jupyter-mathjax=[^>]*>.*?</script>\n?", re.DOTALL)
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # the colours of a kernel's traceback
# css: site path -> CSS text, collected over the build's pages; runs: src_uri -> (source, Future or None);
# env: the environment key of this build (None: caches off); pool: the thread that runs the notebooks.
_state = {"css": {}, "runs": {}, "env": None, "pool": None, "tmp": None, "strict": True, "root": None}


def _is_notebook(page):
    return page.file.src_uri.endswith(".ipynb")


# ---- 1. running

class NotebookFailed(Exception):
    """A notebook did not run to its end; the message names the cell."""


def _failed_cell(nb):
    """'cell N' of the first cell (counting every cell from 1) whose outputs hold an error, or None."""
    for i, cell in enumerate(nb.cells, 1):
        if any(out.get("output_type") == "error" for out in cell.get("outputs", [])):
            return f"cell {i}"
    return None


def run(source, target, kernel_name, allow_errors):
    """Execute the notebook at `source` (in its own folder) and write the executed copy to `target`."""
    nb = nbformat.read(source, as_version=4)
    client = NotebookClient(nb, kernel_name=kernel_name, allow_errors=allow_errors, timeout=TIMEOUT,
                            coalesce_streams=True, record_timing=False,
                            resources={"metadata": {"path": str(Path(source).parent)}})
    start = time.perf_counter()
    try:
        client.execute()
    except Exception as error:
        where = _failed_cell(nb) or "a cell"
        hint = ""
        if type(error).__name__ == "NoSuchKernel":
            hint = (" (the kernel is mkdocs-jupyter's kernel_name in mkdocs.yml, set from NOTEBOOK_KERNEL: "
                    "run scripts/setup-torch.sh to register it, or unset NOTEBOOK_KERNEL)")
        raise NotebookFailed(f"{where} failed: {ANSI.sub('', str(error)).strip()}{hint}") from error
    cache.write(target, nbformat.writes(nb))
    if not target.is_file():
        raise NotebookFailed(f"could not write the executed copy to {target}")
    log.info(f"notebooks: ran {Path(source).name} in {time.perf_counter() - start:.1f} s")


def _readable(path):
    """Whether `path` holds an executed copy that reads back (else it is a miss, and is run again)."""
    return cache.read_json(path, lambda nb: nb["nbformat"] == 4 and isinstance(nb["cells"], list)) is not None


def _executed_copy(base, source, options):
    """Where the executed copy of `source` is kept: its folder is named after its bytes and the options."""
    h = hashlib.sha256(Path(source).read_bytes() + repr(sorted(options.items())).encode()).hexdigest()[:16]
    return base / h / Path(source).name


@event_priority(-100)  # after mkdocs-jupyter has wrapped the notebook files
def on_files(files, config, **kwargs):
    plugin = config.plugins.get(PLUGIN)
    notebooks = [f for f in files if f.src_uri.endswith(".ipynb") and f.is_documentation_page()]
    if plugin is None or not notebooks:
        return files
    options = {"kernel_name": plugin.config["kernel_name"], "allow_errors": plugin.config["allow_errors"]}
    if _state["env"] is not None:
        base = _state["root"] / ".cache" / "notebooks" / f"env-{_state['env'][:16]}"
    else:  # no cache: this build's copies, deleted after it
        _state["tmp"] = Path(tempfile.mkdtemp(prefix="notebooks-"))
        base = _state["tmp"]
    _state["pool"] = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="notebooks")
    used = set()
    for f in notebooks:
        source = f.abs_src_path
        target = _executed_copy(base, source, options)
        used.add(target.parent)
        future = None
        if not _readable(target):
            future = _state["pool"].submit(run, source, target, **options)
        _state["runs"][f.src_uri] = (source, future)
        f.abs_src_path = str(target)  # what mkdocs-jupyter converts (on_page_content sets it back)
    _state["copies"] = (base, used)
    # The notebook pages last: the main thread builds the Markdown pages while the notebooks run.
    return Files([f for f in files if f not in notebooks] + notebooks)


def _stop_runs():
    if _state["pool"] is not None:
        _state["pool"].shutdown(wait=True, cancel_futures=True)
        _state["pool"] = None


def _evict_old_copies():
    """Delete the executed copies of earlier versions of the notebooks (an edit under `make serve` leaves one)."""
    base, used = _state.pop("copies", (None, set()))
    if base is not None and base.is_dir():
        for folder in base.iterdir():
            if folder.is_dir() and folder not in used:
                shutil.rmtree(folder, ignore_errors=True)
    if _state["tmp"] is not None:
        shutil.rmtree(_state["tmp"], ignore_errors=True)
        _state["tmp"] = None


# ---- 2. the caches

def _valid_entry(entry):
    """The shape mkdocs-jupyter 0.27 reads back from a cache file."""
    return (isinstance(entry["content"], str) and isinstance(entry["toc_tokens"], list)
            and isinstance(entry["title"], (str, type(None))) and isinstance(entry["image_dependencies"], dict))


def _prune(folder):
    """Delete the cache files of `folder` that cannot be read back; True if there was one."""
    bad = [f for f in sorted(folder.glob("*.json")) if cache.read_json(f, _valid_entry) is None]
    for f in bad:
        log.info(f"notebook cache: {f.name} is unreadable or ill-shaped; deleted (a miss)")
        f.unlink(missing_ok=True)
    return bool(bad)


def _keep_only(base, current):
    """Remove the folders of `base` other than `current` (outputs of another environment)."""
    if base.is_dir():
        for old in base.iterdir():
            if old.is_dir() and old != current:
                shutil.rmtree(old, ignore_errors=True)
    current.mkdir(parents=True, exist_ok=True)


def _use_cache_folder(plugin, root, env):
    if not hasattr(plugin, "_ag_cache_base"):  # the configured folder, kept should the plugin build again
        configured = Path(plugin.config["cache_dir"])
        plugin._ag_cache_base = configured if configured.is_absolute() else root / configured
    current = plugin._ag_cache_base / f"env-{env[:16]}"
    _keep_only(plugin._ag_cache_base, current)
    _prune(current)
    plugin.config["cache_dir"] = str(current)
    _keep_only(root / ".cache" / "notebooks", root / ".cache" / "notebooks" / f"env-{env[:16]}")
    return current


# ---- the events

def on_config(config, **kwargs):
    plugin = config.plugins.get(PLUGIN)
    if plugin is None:
        return
    if plugin.config["execute"]:
        raise PluginError("hooks/notebooks.py runs the notebooks itself, beside the Markdown pages: set "
                          "`execute: false` for mkdocs-jupyter in mkdocs.yml (its kernel_name and allow_errors "
                          "still say how they run)")
    plugin.config["cache"] = plugin.config["cache"] and cache.enabled("NOTEBOOK_CACHE")
    _state["strict"] = config.strict


def on_pre_build(config, **kwargs):
    _state["css"].clear()
    _state["runs"].clear()
    _stop_runs()  # a build that stopped half-way leaves its pool behind
    plugin = config.plugins.get(PLUGIN)
    root = Path(config.config_file_path).resolve().parent
    _state["root"] = root
    use = plugin is not None and plugin.config["cache"]
    _state["env"] = cache.environment(root) if use else None
    _state["dir"] = _use_cache_folder(plugin, root, _state["env"]) if use else None


def _error_page(error):
    text = html.escape(ANSI.sub("", str(error)))
    return ('<div class="admonition failure" role="alert"><p class="admonition-title">This notebook failed to '
            f"run: a strict build (make build, the tests) stops here</p>\n<pre>{text}</pre></div>\n")


@event_priority(100)  # before mkdocs-jupyter reads the executed copy: wait for it
def on_pre_page(page, **kwargs):
    if not _is_notebook(page) or page.file.src_uri not in _state["runs"]:
        return page
    source, future = _state["runs"][page.file.src_uri]
    page._ag_error = None
    try:
        if future is not None:
            future.result()
    except NotebookFailed as error:
        if _state["strict"]:
            raise  # MkDocs reports it: "Error reading page 'notebooks/...ipynb': cell 7 failed: ..."
        first_line = str(error).split("\n")[0]
        log.warning(f"{page.file.src_uri}: the notebook failed to run ({first_line}); the error is shown as its page")
        page.file.abs_src_path = source  # no executed copy: the plugin converts the notebook as written
        page._ag_error = error
    return page


@event_priority(-50)  # after mkdocs-jupyter has set up the page's render (in its on_pre_page)
def on_page_markdown(markdown, page, **kwargs):
    if not _is_notebook(page) or page.file.src_uri not in _state["runs"]:
        return markdown
    render, error = page.render, page._ag_error

    def render_defensively(config, files):
        if error is not None:
            page.content, page.toc = _error_page(error), get_toc([])
            return
        try:
            return render(config, files)
        except (ValueError, KeyError, TypeError, AttributeError):
            # a cache file went bad while this build ran (another build writing it): drop it, run again
            if _state["dir"] is None or not _prune(_state["dir"]):
                raise
            return render(config, files)

    page.render = render_defensively
    return markdown


def _link(match, page):
    css = match.group(1)
    if len(css) < MIN_SIZE:
        return match.group(0)
    path = f"assets/css/notebook-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    _state["css"][path] = css
    return f'<link rel="stylesheet" href="{get_relative_url(path, page.url)}">'


def on_page_content(content, page, **kwargs):
    if not _is_notebook(page):
        return content
    if page.file.src_uri in _state["runs"]:  # converted: "Download notebook" copies it as written, without outputs
        page.file.abs_src_path = _state["runs"][page.file.src_uri][0]
    return STYLE.sub(lambda m: _link(m, page), content)


@event_priority(-100)  # after mkdocs-jupyter has added the loader
def on_post_page(output, page, **kwargs):
    return LOADER.sub("", output)


def on_post_build(config, **kwargs):
    _stop_runs()
    _evict_old_copies()
    for path, css in sorted(_state["css"].items()):
        out = Path(config.site_dir) / path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(css, encoding="utf-8")


def on_build_error(error, **kwargs):
    _stop_runs()
