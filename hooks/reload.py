"""Give every build fresh copies of the code that pages import.

markdown-exec runs page blocks inside the MkDocs process, so `mkdocs serve` would keep the
package imported at the first build and show old output after an edit to src/. Dropping the
modules before each build makes the next import read the files again: the package
(`autograd_notes`) and the site's build-time helpers that pages import (`site_tools`).
"""

import sys

PACKAGES = ("autograd_notes", "site_tools")


def on_pre_build(config, **kwargs):
    for name in list(sys.modules):
        if name in PACKAGES or name.startswith(tuple(p + "." for p in PACKAGES)):
            del sys.modules[name]
