"""Reuse the output of a page's executed blocks, or its whole HTML, when nothing they depend on has changed.

markdown-exec runs every ```python exec="on"``` block at every build, so a rebuild (and every refresh
of `mkdocs serve`) pays for all of them again, the moons demo included. This hook works at two levels.

**Whole pages.** A Markdown page whose text, front matter and inputs are all as in the last build is not
converted again: its HTML, table of contents, title, anchors and the links it makes are taken from
.cache/exec/pages/. The inputs are the environment below, mkdocs.yml, the versions of the Markdown
tools, the site's list of files (links are resolved against it) and every file the page includes with
`--8<-- "path"`. Links to anchors of other pages are still checked at every build. Not kept: a page whose
conversion logged a warning (so strict builds keep failing on it), and a page with mkdocstrings `:::`
blocks (they also fill mkdocstrings' inventory). This saves about 0.6 s of every `mkdocs serve` refresh.
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
from importlib import metadata
from pathlib import Path

from markdown_exec._internal.formatters import pycon as _pycon
from markdown_exec._internal.formatters import python as _python
from markdown_exec._internal.rendering import MarkdownConverter
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs_autorefs import AutorefsPlugin

INPUTS = ["src/autograd_notes", "docs/snippets", "hooks"]  # relative to the folder of mkdocs.yml
VERSIONS = ["markdown-exec", "matplotlib", "graphviz", "numpy"]
# what else turns a page's Markdown into HTML (for the whole-page cache)
MARKDOWN_VERSIONS = ["mkdocs", "markdown", "pymdown-extensions", "mkdocs-material", "mkdocstrings",
                     "mkdocstrings-python", "mkdocs-autorefs", "griffelib", "pygments"]
SNIPPET = re.compile(r"""^[ \t]*-+8<-+[ \t]+["']([^"']+)["']""", re.M)
AUTODOC = re.compile(r"^:::[ \t]*\S", re.M)

if not hasattr(Page, "_ag_render"):  # MkDocs' own; hooks may be loaded more than once in a process
    Page._ag_render = Page.render
    AutorefsPlugin._ag_register_anchor = AutorefsPlugin.register_anchor

_run = _python._run_python  # markdown-exec's runner, which the formatters look up at call time
_page = None  # the page being rendered: see _Page


def _enabled():
    off = {"0", "false", "no", "off"}
    return all(os.environ.get(v, "true").strip().lower() not in off for v in ("BUILD_CACHE", "EXEC_CACHE"))


def _environment(root):
    """A hash of everything outside a block that can change what it prints."""
    h = hashlib.sha256(sys.version.encode())
    for name in VERSIONS:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=none".encode())
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
            self.cache.mkdir(parents=True, exist_ok=True)
            data = {"uri": self.uri, "env": self.env, "blocks": self.blocks}
            tmp = self.file.with_suffix(".tmp")
            tmp.write_text(json.dumps(data))
            tmp.replace(self.file)


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


def _versions(names):
    out = []
    for name in names:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=none")
    return out


def _toc_tokens(items):
    """A table of contents back into the tokens `get_toc` reads."""
    return [{"level": i.level, "id": i.id, "name": i.title, "children": _toc_tokens(i.children)} for i in items]


def _page_key(page, config, files):
    if "files" not in _state:  # links depend on where every file of the site goes
        listing = sorted((f.src_uri, f.url) for f in files)
        _state["files"] = hashlib.sha256(json.dumps(listing).encode()).hexdigest()
    h = hashlib.sha256("\0".join([_state["env"], _state["site"], _state["files"], page.file.src_uri, page.url,
                                  json.dumps(page.meta, sort_keys=True, default=str), page.markdown]).encode())
    root = _state["root"]
    bases = (config.mdx_configs.get("pymdownx.snippets") or {}).get("base_path") or ["."]
    for name in SNIPPET.findall(page.markdown):
        name = re.sub(r"(:[\w,-]*)+$", "", name)  # file.py:section -> file.py
        for base in [bases] if isinstance(bases, str) else bases:
            path = root / base / name
            if path.is_file():
                h.update(path.as_posix().encode() + b"\0" + path.read_bytes())
                break
        else:
            h.update(b"missing " + name.encode())
    return h.hexdigest()


def _record_anchor(plugin, page, identifier, anchor=None, *, title=None, primary=True):
    if _state.get("anchors") is not None:
        _state["anchors"].append([identifier, anchor, title, primary])
    return AutorefsPlugin._ag_register_anchor(plugin, page, identifier, anchor, title=title, primary=primary)


def _render(page, config, files):
    # markdown-exec numbers the HTML ids of its outputs (exec-1--...) with one counter for the whole
    # process. Counting from 0 on every page keeps a page's ids the same whichever pages were converted
    # before it (or replayed from the cache): same page, same bytes.
    MarkdownConverter.counter = 0
    cacheable = (_state.get("env") and page.file.src_uri.endswith(".md") and page.markdown is not None
                 and page.meta.get("exec_cache", True) is not False and not AUTODOC.search(page.markdown))
    if not cacheable:
        return Page._ag_render(page, config, files)
    key = _page_key(page, config, files)
    path = _state["cache"] / "pages" / (hashlib.sha256(page.file.src_uri.encode()).hexdigest()[:24] + ".json")
    try:
        hit = json.loads(path.read_text())
        if hit.get("key") != key:
            hit = None
    except (OSError, ValueError):
        hit = None
    autorefs = config.plugins.get("autorefs")
    if hit is not None:
        page.content = hit["content"]
        page.toc = get_toc(hit["toc"])
        page._title_from_render = hit["title"]
        page.present_anchor_ids = set(hit["anchor_ids"])
        if hit["links"] is not None:
            page.links_to_anchors = {
                f: links for uri, links in hit["links"].items() if (f := files.get_file_from_path(uri)) is not None
            }
        for identifier, anchor, title, primary in hit["autorefs"]:
            if autorefs is not None:
                AutorefsPlugin._ag_register_anchor(autorefs, page, identifier, anchor, title=title, primary=primary)
        return None
    warnings = _Warnings()
    logging.getLogger("mkdocs").addHandler(warnings)
    _state["anchors"] = []
    try:
        Page._ag_render(page, config, files)
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)
        anchors, _state["anchors"] = _state["anchors"], None
    if warnings.count == 0:
        links = page.links_to_anchors
        data = {
            "key": key, "uri": page.file.src_uri, "content": page.content, "toc": _toc_tokens(page.toc),
            "title": page._title_from_render, "anchor_ids": sorted(page.present_anchor_ids or ()),
            "links": None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
            "autorefs": anchors,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        tmp.replace(path)
    return None


_state = {}


def on_pre_build(config, **kwargs):
    _python._run_python = _pycon._run_python = _cached_run
    Page.render = _render
    AutorefsPlugin.register_anchor = _record_anchor
    root = Path(config.config_file_path).resolve().parent
    _state.clear()
    _state["root"] = root
    _state["cache"] = root / ".cache" / "exec"
    _state["env"] = _environment(root) if _enabled() else None
    config_file = Path(config.config_file_path).read_bytes()
    _state["site"] = hashlib.sha256(
        config_file + json.dumps([config.site_url, _versions(MARKDOWN_VERSIONS)]).encode()).hexdigest()


def on_page_markdown(markdown, page, **kwargs):
    global _page
    _page = None
    if _state.get("env") and page.meta.get("exec_cache", True) is not False:
        _page = _Page(page.file.src_uri, _state["env"], _state["cache"])
    return markdown


def on_page_content(html, page, **kwargs):
    global _page
    if _page is not None:
        _page.save()
        _page = None
    return html
