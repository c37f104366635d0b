"""Compile the Jinja templates once, not at every build.

Every build makes new Jinja environments (the theme's, and mkdocstrings' for the API page) and compiles
about 75 templates again into Python code: about 0.25 s here, at every `mkdocs serve` refresh too.
Jinja can keep that code on disk and check it against the template's source before use (its
FileSystemBytecodeCache); this hook turns that on for both environments, in .cache/jinja/. Output is
unchanged: only the compile step is skipped. Jinja checks a template's source, not the filters and
globals its code was compiled against, so the folder is named after the versions of the tools (a new
version: a new folder, and the old ones are removed). `TEMPLATE_CACHE=false` (or `BUILD_CACHE=false`)
turns it off.
"""

import hashlib
import shutil
from pathlib import Path

import cachefile  # hooks/cachefile.py
from jinja2 import FileSystemBytecodeCache

TOOLS = ["jinja2", "mkdocs", "mkdocs-material", "mkdocstrings", "mkdocstrings-python", "mkdocs-autorefs"]


def _bytecode_cache(config):
    base = Path(config.config_file_path).resolve().parent / ".cache" / "jinja"
    path = base / hashlib.sha256(" ".join(cachefile.versions(TOOLS)).encode()).hexdigest()[:16]
    if not path.is_dir():
        shutil.rmtree(base, ignore_errors=True)  # templates compiled by other versions
        path.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(path))


_state = {}


def on_pre_build(config, **kwargs):
    _state["cache"] = _bytecode_cache(config) if cachefile.enabled("TEMPLATE_CACHE") else None
    plugin = config.plugins.get("mkdocstrings")
    if plugin is not None and _state["cache"] is not None:
        # its handler is made here rather than at the first ::: block
        plugin.handlers.get_handler("python").env.bytecode_cache = _state["cache"]


def on_env(env, config, **kwargs):
    if _state.get("cache") is not None:
        env.bytecode_cache = _state["cache"]
    return env
