"""What the build caches (hooks/exec_cache.py, hooks/notebooks.py) share.

- ``enabled(name)``: the switches. ``BUILD_CACHE=false`` turns every cache off, ``EXEC_CACHE=false``
  or ``NOTEBOOK_CACHE=false`` one of them.
- ``environment(root)``: one key for everything outside a page or notebook that can change what its code
  prints. Both caches key on it, so an upgrade of any of these is a fresh run everywhere:
  the Python, the sources code imports (src/, docs/snippets/, hooks/), the version of Graphviz's ``dot``,
  the versions of the tools in ``TOOLS``, and PyTorch (which interpreter runs it, and its version).
- ``read_json(path, valid)`` and ``write(path, text)``: a cache entry is read defensively (unreadable or
  ill-shaped: a miss, never a failed build) and written whole or not at all.
"""

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from importlib import metadata

from . import torch_run

OFF = {"0", "false", "no", "off"}
INPUTS = ["src", "docs/snippets", "hooks"]  # relative to the folder of mkdocs.yml
TOOLS = ["markdown-exec", "mkdocs-jupyter", "nbconvert", "nbclient", "ipykernel", "jupyter-client",
         "graphviz", "numpy", "pygments"]


def enabled(name):
    """Whether the cache called `name` (e.g. "EXEC_CACHE") is on: neither it nor BUILD_CACHE is set to off."""
    return all(os.environ.get(v, "true").strip().lower() not in OFF for v in ("BUILD_CACHE", name))


def versions(names):
    """["name=version", ...] of the installed distributions `names` ("name=none" when one is missing)."""
    out = []
    for name in names:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=none")
    return out


def _dot_version():
    try:
        done = subprocess.run(["dot", "-V"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "no dot"
    return (done.stdout + done.stderr).decode(errors="replace").strip()


def _torch():
    try:
        return torch_run.describe()
    except RuntimeError as error:  # a bad AUTOGRAD_NOTES_TORCH_PYTHON: the page says so when it runs
        return f"torch error: {error}"


def environment(root):
    """A hex key of everything outside a page's own code that can change what the code prints."""
    h = hashlib.sha256()
    kernel = os.environ.get("NOTEBOOK_KERNEL", "python3")  # the notebooks' kernel (mkdocs.yml)
    for part in (sys.version, " ".join(versions(TOOLS)), _dot_version(), _torch(), kernel):
        h.update(part.encode() + b"\0")
    for base in INPUTS:
        for path in sorted((root / base).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and not path.name.endswith(".egg-info"):
                h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def read_json(path, valid):
    """The JSON in `path` if it reads and `valid(value)` holds, else None (a miss: the caller replaces it)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, truncated, not UTF-8, not JSON
        return None
    try:
        return value if valid(value) else None
    except (KeyError, IndexError, TypeError, AttributeError):
        return None


def write(path, text):
    """Write a cache file whole or not at all. Another build may be writing the same file at the same
    time: each writes its own temporary file and renames it into place. A cache file that cannot be
    written only makes the next build slower, so an error here is not fatal."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
