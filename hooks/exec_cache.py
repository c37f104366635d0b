"""Reuse the output of a page's executed blocks, or its whole HTML, when nothing they depend on has changed.

markdown-exec runs every ```python exec="on"``` block at every build, so a rebuild (and every refresh
of `mkdocs serve`) pays for all of them again, the moons demo included. This hook works at two levels.

**Whole pages.** A Markdown page whose text, front matter and inputs are all as in the last build is not
converted again: its HTML, table of contents, title, anchors and the links it makes are taken from
.cache/exec/pages/. The inputs are the environment below, mkdocs.yml, the versions of the Markdown
tools, the site's list of files (links are resolved against it) and every file pymdownx.snippets read
for the page (`--8<--`, nested includes too). Links to anchors of other pages are still checked at every
build. Never kept: a page whose conversion logged a warning, or ran where warnings are not shown (`-q`)
or anchors not collected (`-v`), so that strict builds keep failing on it; a page with mkdocstrings
`:::` blocks (they also fill mkdocstrings' inventory); a page that included a missing file. With
pymdownx.snippets' `url_download` on, no page is kept (a URL's content can change at any time).
This saves about 0.6 s of every `mkdocs serve` refresh.
markdown-exec's HTML ids are numbered per page, so a converted page is the same whatever was replayed.

**Blocks.** Otherwise the hook remembers what each block printed, per page, in .cache/exec/, and replays it
while two things hold:

- the environment is the same: the package (src/autograd_notes), the files pages include or import
  (docs/snippets, hooks/), the Python, Graphviz and matplotlib versions (see `_environment`);
- the blocks are the same: the n-th block of the page has the same code and options as last time.

At the first block that differs, the hook runs the page's earlier blocks again (their output is
thrown away; they rebuild the session state) and from there on runs every block for real. So editing
prose replays everything; editing a block re-executes from that block; editing the package
re-executes the whole site. A block that raises is never stored: the strict build still fails.

A page opts out of both with `exec_cache: false` in its front matter (the PyTorch page: its output depends
on a torch install this hook cannot see). `EXEC_CACHE=false` (or `BUILD_CACHE=false`) turns the cache
off for a build.
"""

import hashlib
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import cachefile  # hooks/cachefile.py
from markdown_exec._internal.formatters import pycon as _pycon
from markdown_exec._internal.formatters import python as _python
from markdown_exec._internal.rendering import MarkdownConverter
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs_autorefs import AutorefsPlugin
from pymdownx.snippets import SnippetPreprocessor

INPUTS = ["src/autograd_notes", "docs/snippets", "hooks"]  # relative to the folder of mkdocs.yml
VERSIONS = ["markdown-exec", "matplotlib", "graphviz", "numpy"]
# what else turns a page's Markdown into HTML (for the whole-page cache)
MARKDOWN_VERSIONS = ["mkdocs", "markdown", "pymdown-extensions", "mkdocs-material", "mkdocstrings",
                     "mkdocstrings-python", "mkdocs-autorefs", "griffelib", "pygments"]
AUTODOC = re.compile(r"^[ \t>]*:::[ \t]*\S", re.M)  # a mkdocstrings block, at any indentation

if not hasattr(Page, "_ag_render"):  # the libraries' own methods, which the wrappers below call
    Page._ag_render = Page.render
    AutorefsPlugin._ag_register_anchor = AutorefsPlugin.register_anchor
    SnippetPreprocessor._ag_get_snippet_path = SnippetPreprocessor.get_snippet_path

_run = _python._run_python  # markdown-exec's runner, which the formatters look up at call time
_page = None  # the page being rendered: see _Page


def _opted_out(page):
    value = page.meta.get("exec_cache", True)
    return value is False or str(value).strip().lower() in cachefile.OFF


def _environment(root):
    """A hash of everything outside a block that can change what it prints."""
    h = hashlib.sha256(sys.version.encode())
    h.update(" ".join(cachefile.versions(VERSIONS)).encode())
    try:
        h.update(subprocess.run(["dot", "-V"], capture_output=True, timeout=30).stderr)
    except OSError:
        h.update(b"no dot")
    for base in INPUTS:
        for path in sorted((root / base).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


class _Page:
    def __init__(self, uri, env, cache):
        self.cache = cache
        self.file = cache / (hashlib.sha256(uri.encode()).hexdigest()[:24] + ".json")
        self.env = env
        self.old = []
        try:
            saved = json.loads(self.file.read_text())
            if saved.get("uri") == uri and saved.get("env") == env:
                self.old = saved["blocks"]
        except (OSError, ValueError, KeyError):
            pass
        self.uri = uri
        self.blocks = []  # {"code", "kw", "out"} of each block of the page so far
        self.live = False  # True from the first block that was not replayed

    def run(self, code, **kw):
        n = len(self.blocks)
        same = not self.live and n < len(self.old) and (self.old[n]["code"], self.old[n]["kw"]) == (code, kw)
        if same:
            out = self.old[n]["out"]
        else:
            if not self.live:  # rebuild the state that the replayed blocks would have left
                self.live = True
                for block in self.blocks:
                    _run(block["code"], **block["kw"])
            out = _run(code, **kw)
        self.blocks.append({"code": code, "kw": kw, "out": out})
        return out

    def save(self):
        if self.blocks and (self.live or len(self.blocks) != len(self.old)):
            cachefile.write(self.file, json.dumps({"uri": self.uri, "env": self.env, "blocks": self.blocks}))


def _cached_run(code, **kw):
    if _page is None:
        return _run(code, **kw)
    return _page.run(code, **kw)


# ---------------------------------------------------------------------------------------- whole pages


class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


def _toc_tokens(items):
    """A table of contents back into the tokens `get_toc` reads."""
    return [{"level": i.level, "id": i.id, "name": i.title, "children": _toc_tokens(i.children)} for i in items]


def _digest(path):
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _page_key(page, files):
    if "files" not in _state:  # links depend on where every file of the site goes
        listing = sorted((f.src_uri, f.url) for f in files)
        _state["files"] = hashlib.sha256(json.dumps(listing).encode()).hexdigest()
    meta = json.dumps(page.meta, default=str)  # YAML keeps the order of the front matter
    parts = [_state["env"], _state["site"], _state["files"], page.file.src_uri, page.url, meta, page.markdown]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


# While a page converts, what it reads and registers is noted in _state["seen"], to be stored with it.

def _record_anchor(plugin, page, identifier, anchor=None, *, title=None, primary=True):
    if _state.get("seen") is not None:
        _state["seen"]["autorefs"].append([identifier, anchor, title, primary])
    return AutorefsPlugin._ag_register_anchor(plugin, page, identifier, anchor, title=title, primary=primary)


def _record_snippet(preprocessor, path):
    found = SnippetPreprocessor._ag_get_snippet_path(preprocessor, path)
    if _state.get("seen") is not None:
        if found is None:  # a snippet that is not there now may be there next time
            _state["seen"]["unsure"] = True
        else:
            _state["seen"]["inputs"][os.path.abspath(found)] = _digest(found)
    return found


def _inventory_size(config):
    plugin = config.plugins.get("mkdocstrings")
    try:
        return len(plugin.handlers.inventory) if plugin is not None else 0
    except RuntimeError:  # the plugin has no handlers yet
        return 0


def _replay(hit, page, config, files):
    page.content = hit["content"]
    page.toc = get_toc(hit["toc"])
    page._title_from_render = hit["title"]
    page.present_anchor_ids = set(hit["anchor_ids"])
    page.links_to_anchors = {
        f: links for uri, links in hit["links"].items() if (f := files.get_file_from_path(uri)) is not None
    }
    autorefs = config.plugins.get("autorefs")
    for identifier, anchor, title, primary in hit["autorefs"] if autorefs is not None else ():
        AutorefsPlugin._ag_register_anchor(autorefs, page, identifier, anchor, title=title, primary=primary)


def _render(page, config, files):
    # markdown-exec numbers the HTML ids of its outputs (exec-1--...) with one counter for the whole
    # process. Counting from 0 on every page keeps a page's ids the same whichever pages were converted
    # before it (or replayed from the cache): same page, same bytes.
    MarkdownConverter.counter = 0
    snippets = config.mdx_configs.get("pymdownx.snippets") or {}
    cacheable = (_state.get("env") and page.file.src_uri.endswith(".md") and page.markdown is not None
                 and not _opted_out(page) and not AUTODOC.search(page.markdown)
                 and not snippets.get("url_download"))  # what a URL holds may change at any time
    if not cacheable:
        return Page._ag_render(page, config, files)
    key = _page_key(page, files)
    path = _state["cache"] / "pages" / (hashlib.sha256(page.file.src_uri.encode()).hexdigest()[:24] + ".json")
    try:
        hit = json.loads(path.read_text())
    except (OSError, ValueError):
        hit = None
    if hit and hit.get("key") == key and all(_digest(f) == d for f, d in hit["inputs"].items()):
        return _replay(hit, page, config, files)

    warnings = _Warnings()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(warnings)
    _state["seen"] = seen = {"inputs": {}, "autorefs": [], "unsure": False}
    inventory = _inventory_size(config)
    try:
        Page._ag_render(page, config, files)
    finally:
        mkdocs_log.removeHandler(warnings)
        _state["seen"] = None
    store = (
        warnings.count == 0
        and mkdocs_log.isEnabledFor(logging.WARNING)  # under -q a warning would go unseen
        and page.links_to_anchors is not None  # under -v MkDocs does not collect them
        and not seen["unsure"]
        and _inventory_size(config) == inventory  # mkdocstrings output (from an included file, say)
    )
    if store:
        cachefile.write(path, json.dumps({
            "key": key, "uri": page.file.src_uri, "inputs": seen["inputs"], "content": page.content,
            "toc": _toc_tokens(page.toc), "title": page._title_from_render,
            "anchor_ids": sorted(page.present_anchor_ids or ()),
            "links": {f.src_uri: dict(v) for f, v in page.links_to_anchors.items()},
            "autorefs": seen["autorefs"],
        }))
    return None


_state = {}


def on_pre_build(config, **kwargs):
    _python._run_python = _pycon._run_python = _cached_run
    Page.render = _render
    AutorefsPlugin.register_anchor = _record_anchor
    SnippetPreprocessor.get_snippet_path = _record_snippet
    root = Path(config.config_file_path).resolve().parent
    _state.clear()
    _state["cache"] = root / ".cache" / "exec"
    _state["env"] = _environment(root) if cachefile.enabled("EXEC_CACHE") else None
    config_file = Path(config.config_file_path).read_bytes()
    _state["site"] = hashlib.sha256(
        config_file + json.dumps([config.site_url, cachefile.versions(MARKDOWN_VERSIONS)]).encode()).hexdigest()


def on_page_markdown(markdown, page, **kwargs):
    global _page
    _page = None
    if _state.get("env") and not _opted_out(page):
        _page = _Page(page.file.src_uri, _state["env"], _state["cache"])
    return markdown


def on_page_content(html, page, **kwargs):
    global _page
    if _page is not None:
        _page.save()
        _page = None
    return html
