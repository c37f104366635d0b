"""Reuse the output of a page's executed blocks when nothing they depend on has changed.

markdown-exec runs every ```python exec="on"``` block at every build, so a rebuild (and every refresh
of `mkdocs serve`) pays for all of them again, the moons demo included. This hook remembers what each
block printed, per page, in .cache/exec/, and replays it while two things hold:

- the environment is the same: the package (src/autograd_notes), the files pages include or import
  (docs/snippets, hooks/), the Python, Graphviz and matplotlib versions (see `_environment`);
- the blocks are the same: the n-th block of the page has the same code and options as last time.

At the first block that differs, the hook runs the page's earlier blocks again (their output is
thrown away; they rebuild the session state) and from there on runs every block for real. So editing
prose replays everything; editing a block re-executes from that block; editing the package
re-executes the whole site. A block that raises is never stored: the strict build still fails.

A page opts out with `exec_cache: false` in its front matter (the PyTorch page: its output depends
on a torch install this hook cannot see). `EXEC_CACHE=false` turns the cache off for a build.
"""

import hashlib
import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from markdown_exec._internal.formatters import pycon as _pycon
from markdown_exec._internal.formatters import python as _python

INPUTS = ["src/autograd_notes", "docs/snippets", "hooks"]  # relative to the folder of mkdocs.yml
VERSIONS = ["markdown-exec", "matplotlib", "graphviz", "numpy"]

_run = _python._run_python  # markdown-exec's runner, which the formatters look up at call time
_page = None  # the page being rendered: see _Page


def _enabled():
    return os.environ.get("EXEC_CACHE", "true").strip().lower() not in {"0", "false", "no", "off"}


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


_state = {}


def on_pre_build(config, **kwargs):
    _python._run_python = _pycon._run_python = _cached_run
    root = Path(config.config_file_path).resolve().parent
    _state["cache"] = root / ".cache" / "exec"
    _state["env"] = _environment(root) if _enabled() else None


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
