"""Key mkdocs-jupyter's cache on the package source as well as on the notebook.

The plugin's cache key covers the notebook file and its own options only, so after an edit to
src/autograd_notes it would serve the outputs of the old code. Here the cache directory gets a
hash of every file of the package: new code, new directory, fresh execution. Directories of
older hashes are removed, so the cache holds one generation.
"""

import hashlib
import importlib.util
import shutil
from pathlib import Path

PLUGIN = "mkdocs-jupyter"


def _source_hash(package_dir):
    h = hashlib.sha256()
    for path in sorted(package_dir.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def on_pre_build(config, **kwargs):
    plugin = config.plugins.get(PLUGIN)
    if plugin is None or not plugin.config["cache"]:
        return
    spec = importlib.util.find_spec("autograd_notes")  # finds the package without importing it
    package_dir = Path(spec.submodule_search_locations[0])
    if not hasattr(plugin, "_ag_cache_base"):  # remember the configured directory across rebuilds
        plugin._ag_cache_base = Path(plugin.config["cache_dir"])
    base = plugin._ag_cache_base
    current = base / f"src-{_source_hash(package_dir)}"
    plugin.config["cache_dir"] = str(current)
    if base.is_dir():
        for old in base.glob("src-*"):
            if old != current:
                shutil.rmtree(old, ignore_errors=True)
