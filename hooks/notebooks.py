"""Notebook pages: mkdocs-jupyter fitted to this site.

mkdocs-jupyter executes each notebook of docs/notebooks and turns it into a page. This hook adjusts five
things, each through the plugin's options or its output, never its code:

1. **Its cache, keyed on the whole environment.** The plugin keys its cache on the notebook and its own
   options only: after an edit to src/ or an upgrade of Python or Graphviz it would serve old outputs.
   Here its folder is named after `site_tools.cache.environment` (the key the block cache uses), so any
   change there means a fresh run; folders of other keys are removed. The plugin writes its files in
   place (a killed build can leave half a file) and a bad file would fail every later build, so each
   file is checked before the build and a bad one deleted: a miss, not an error. `NOTEBOOK_CACHE=false`
   (or `BUILD_CACHE=false`) turns the cache off.
2. **One block of printed output per cell.** The kernel sends what a cell prints in chunks, split where
   timing says; nbclient keeps each chunk as an output unless `coalesce_streams` is on, so two builds could
   differ. The option is not configurable and the plugin makes its ExecutePreprocessor itself: the hook
   turns it on by default.
3. **Shared CSS.** Each notebook page carries about 590 KB of JupyterLab CSS in <style> blocks, the same
   on every page. Each block becomes a file, assets/css/notebook-<hash>.css, linked where the block stood:
   a browser downloads it once, a page shrinks to a fifth. Same CSS, same name: builds stay reproducible.
4. **No CDN.** The plugin appends a script that would fetch MathJax from a public CDN; KaTeX
   (docs/assets/js/katex-init.js) renders notebook maths from the site's own origin, so it is dropped.
5. **Errors in the page under `make serve`.** A strict build stops at a failing cell, naming the notebook.
   A non-strict one (`make serve`) shows the error as the notebook's page instead, and warns with the
   notebook's name, so the writer sees it where they are looking (and the server keeps serving).
"""

import hashlib
import html
import logging
import re
import shutil
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url
from nbconvert.preprocessors import ExecutePreprocessor

from site_tools import cache

log = logging.getLogger("mkdocs.hooks.notebooks")
PLUGIN = "mkdocs-jupyter"
STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
MIN_SIZE = 2000  # small <style> blocks are cheaper inline than as a request
LOADER = re.compile(r"<script data-mkdocs-jupyter-mathjax=[^>]*>.*?</script>\n?", re.DOTALL)
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # the colours of a kernel's traceback
_state = {"css": {}, "dir": None, "strict": True}  # css: site path -> CSS text, collected over the build's pages


def _is_notebook(page):
    return page.file.src_uri.endswith(".ipynb")


# ---- 1. the cache

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


def _use_cache_folder(plugin, root):
    if not hasattr(plugin, "_ag_cache_base"):  # the configured folder, kept should the plugin build again
        configured = Path(plugin.config["cache_dir"])
        plugin._ag_cache_base = configured if configured.is_absolute() else root / configured
    base = plugin._ag_cache_base
    current = base / f"env-{cache.environment(root)[:16]}"
    if base.is_dir():
        for old in base.iterdir():
            if old.is_dir() and old != current:  # outputs of another environment
                shutil.rmtree(old, ignore_errors=True)
    current.mkdir(parents=True, exist_ok=True)
    _prune(current)
    plugin.config["cache_dir"] = str(current)
    return current


# ---- 2. coalesced streams

def _init_coalescing(self, **kw):
    kw.setdefault("coalesce_streams", True)
    _init_coalescing.original(self, **kw)


# MkDocs imports this file again for every build of `mkdocs serve`: patch once.
if not hasattr(ExecutePreprocessor.__init__, "original"):
    _init_coalescing.original = ExecutePreprocessor.__init__
    ExecutePreprocessor.__init__ = _init_coalescing


# ---- the events

def on_config(config, **kwargs):
    plugin = config.plugins.get(PLUGIN)
    if plugin is None:
        return
    plugin.config["cache"] = plugin.config["cache"] and cache.enabled("NOTEBOOK_CACHE")
    _state["strict"] = config.strict


def on_pre_build(config, **kwargs):
    _state["css"].clear()
    plugin = config.plugins.get(PLUGIN)
    use = plugin is not None and plugin.config["cache"]
    root = Path(config.config_file_path).resolve().parent
    _state["dir"] = _use_cache_folder(plugin, root) if use else None


def _error_page(error):
    text = html.escape(ANSI.sub("", str(error)))
    return ('<div class="admonition failure" role="alert"><p class="admonition-title">This notebook failed to '
            f"run: a strict build (make build, the tests) stops here</p>\n<pre>{text}</pre></div>\n")


@event_priority(-50)  # after mkdocs-jupyter has set up the page's render
def on_pre_page(page, **kwargs):
    if not _is_notebook(page):
        return page
    render = page.render

    def render_defensively(config, files):
        try:
            try:
                return render(config, files)
            except (ValueError, KeyError, TypeError, AttributeError):
                # a cache file went bad while this build ran (another build writing it): drop it, run again
                if _state["dir"] is None or not _prune(_state["dir"]):
                    raise
                return render(config, files)
        except Exception as error:
            if _state["strict"]:
                raise  # MkDocs reports it: "Error reading page 'notebooks/...ipynb': ..."
            log.warning(f"{page.file.src_uri}: the notebook failed to run ({type(error).__name__}); "
                        "the error is shown as its page")
            page.content, page.toc = _error_page(error), get_toc([])

    page.render = render_defensively
    return page


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
    return STYLE.sub(lambda m: _link(m, page), content)


@event_priority(-100)  # after mkdocs-jupyter has added the loader
def on_post_page(output, page, **kwargs):
    return LOADER.sub("", output)


def on_post_build(config, **kwargs):
    for path, css in sorted(_state["css"].items()):
        out = Path(config.site_dir) / path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(css, encoding="utf-8")
