"""What the build caches (exec_cache, search_cache, template_cache) share: switches, versions, safe writes.

Not a hook itself: the cache hooks import it (MkDocs puts hooks/ on sys.path while it loads them).
"""

import os
import tempfile
from importlib import metadata

OFF = {"0", "false", "no", "off"}


def enabled(name):
    """Whether the cache called `name` (e.g. "EXEC_CACHE") is on: it and BUILD_CACHE are not set to off."""
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
            try:
                os.unlink(tmp)
            except OSError:
                pass
