"""Run each page's executed blocks in a clean session, and replay their output while nothing changed.

markdown-exec runs every ```python exec="on"``` block at every build, so a rebuild (and every refresh
of `mkdocs serve`) pays for all of them again, the moons demo included. This hook does three things.

**Clean sessions.** markdown-exec keeps the globals of each `session="..."` for the whole process and
never clears them, so what a block sees could depend on which pages were built before it, or on the
previous build under `mkdocs serve`. When a page starts, the hook empties them: a page's sessions start
empty at every build of that page. (A session name belongs to one page: tests/test_exec_cache.py checks.)

**Replay.** The hook remembers what each block printed, per page, in .cache/exec/, and replays it while
two things hold:

- the environment is the same: `site_tools.cache.environment` (the Python, src/, docs/snippets, hooks/,
  Graphviz, the tool versions, PyTorch), the key the notebook cache uses too;
- the blocks are the same: the n-th block of the page has the same code and options as last time.

At the first block that differs, the hook runs the page's earlier blocks again (their output is
thrown away; they rebuild the session state) and from there on runs every block for real. So editing
prose replays everything; editing a block re-executes from that block; editing the package
re-executes the whole site. A block that raises is never stored: the strict build still fails.
An entry that cannot be read or has the wrong shape is a miss, and is replaced.

**Names.** A block that raises is reported with its page and its place on the page
("topics/mlp.md: block 3 (session "mlp") raised ValueError: ..."), then markdown-exec's report.

A page opts out of replay with `exec_cache: false` in its front matter (its blocks always run; what they
printed is still stored). `EXEC_CACHE=false` (or `BUILD_CACHE=false`) turns the cache off for a build;
`EXEC_CACHE_DIR` moves it (the tests build with an empty one, then read what every block printed there).

How it hooks in: markdown-exec's python and pycon formatters look up their runner, `_run_python`, in their
modules each time they run a block; the hook puts its own there. That is a private name, so the versions
are pinned (constraints.txt) and the hook checks at start-up that the lookup still happens (it stops the
build if not, rather than silently running everything).
"""

import hashlib
import json
import logging
import os
from pathlib import Path

from markdown_exec._internal import main as _main
from markdown_exec._internal.formatters import pycon as _pycon
from markdown_exec._internal.formatters import python as _python
from mkdocs.exceptions import PluginError

from site_tools import cache

log = logging.getLogger("mkdocs.hooks.exec_cache")
# markdown-exec's own runner. MkDocs imports this file again for every build of `mkdocs serve`, so
# the original is kept on markdown-exec's module: the hook never wraps its own earlier wrapper.
if not hasattr(_python, "_ag_original_run"):
    _python._ag_original_run = _python._run_python
_run = _python._ag_original_run


def _opted_out(page):
    value = page.meta.get("exec_cache", True)
    return value is False or str(value).strip().lower() in cache.OFF


def _valid(saved, uri, env):
    """A stored page: its uri and environment match, and each block has code, options and output."""
    return (saved["uri"] == uri and saved["env"] == env and isinstance(saved["blocks"], list)
            and all(isinstance(b["code"], str) and isinstance(b["kw"], dict) and isinstance(b["out"], str)
                    for b in saved["blocks"]))


class _Page:
    """The blocks of one page, in order: replayed from `old` until one differs, then run."""

    def __init__(self, uri, env, folder, replay=True):
        self.uri = uri
        self.env = env  # None: the cache is off
        self.file = folder / (hashlib.sha256(uri.encode()).hexdigest()[:24] + ".json")
        saved = cache.read_json(self.file, lambda s: _valid(s, uri, env)) if env and replay else None
        self.old = saved["blocks"] if saved else []
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
            try:
                out = _run(code, **kw)
            except Exception as error:
                log.warning(f"{self.uri}: block {n + 1} {_where(kw)}raised {_last_line(error)}")
                raise
        self.blocks.append({"code": code, "kw": kw, "out": out})
        return out

    def save(self):
        if self.env and self.blocks and (self.live or len(self.blocks) != len(self.old)):
            cache.write(self.file, json.dumps({"uri": self.uri, "env": self.env, "blocks": self.blocks}))


def _where(kw):
    named = [f'{k} "{kw[k]}"' for k in ("session", "id", "title") if kw.get(k)]
    return f"({', '.join(named)}) " if named else ""


def _last_line(error):
    """The last line of a block's traceback, e.g. "ValueError: boom" (markdown-exec wraps it in a fence)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip() and not line.startswith("```")]
    return lines[-1] if lines else type(error).__name__


_state = {"page": None}


def _run_block(code, **kw):
    page = _state["page"]
    return _run(code, **kw) if page is None else page.run(code, **kw)


def _wire():
    """Put `_run_block` where markdown-exec looks up its runner, and check that it really looks there."""
    _python._run_python = _pycon._run_python = _run_block
    if not all(isinstance(getattr(_python, n, None), dict) for n in ("_sessions_globals", "_sessions_counter")):
        raise PluginError(
            "hooks/exec_cache.py: markdown-exec no longer keeps its sessions in _sessions_globals and "
            "_sessions_counter, so pages could not start clean. Install constraints.txt, or adapt the hook."
        )
    for language in ("python", "pycon"):
        formatter = _main.formatters.get(language)  # what markdown-exec calls for a ```python fence
        code = getattr(formatter, "__code__", None)
        looks_up = code is not None and "_run_python" in code.co_names
        if not looks_up or formatter.__globals__.get("_run_python") is not _run_block:
            raise PluginError(
                f"hooks/exec_cache.py: markdown-exec's {language} formatter no longer looks up _run_python at "
                f"run time ({' '.join(cache.versions(['markdown-exec']))}), so blocks would bypass the hook. "
                "Install the versions of constraints.txt (scripts/setup.sh), or adapt the hook."
            )


def on_config(config, **kwargs):
    _wire()


def on_pre_build(config, **kwargs):
    root = Path(config.config_file_path).resolve().parent
    folder = Path(os.environ.get("EXEC_CACHE_DIR") or root / ".cache" / "exec")
    _state.update(page=None, folder=folder,
                  env=cache.environment(root) if cache.enabled("EXEC_CACHE") else None)


def on_page_markdown(markdown, page, **kwargs):
    # A clean start for the page: no session keeps the globals of another page or of an earlier build,
    # and block numbers in markdown-exec's messages count from this page's first block.
    _python._sessions_globals.clear()
    _python._sessions_counter.clear()
    _state["page"] = _Page(page.file.src_uri, _state["env"], _state["folder"], replay=not _opted_out(page))
    return markdown


def on_page_content(html, page, **kwargs):
    if _state["page"] is not None:
        _state["page"].save()
        _state["page"] = None
    return html
