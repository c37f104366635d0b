"""Give every build fresh copies of the code that pages import.

markdown-exec runs page blocks inside the MkDocs process, so `mkdocs serve` would keep the
package imported at the first build and show old output after an edit to src/. Dropping the
modules before each build makes the next import read the files again. The same goes for helper
modules that pages import from hooks/ (e.g. torch_run); the registered hooks themselves are
named by their path ("hooks/reload") and are left alone.
"""

import sys
from pathlib import Path

PACKAGE = "autograd_notes"
HOOKS = Path(__file__).resolve().parent


def _page_helper(name, module):
    path = getattr(module, "__file__", None)
    return "/" not in name and path is not None and Path(path).resolve().parent == HOOKS


def on_pre_build(config, **kwargs):
    for name, module in list(sys.modules.items()):
        if name == PACKAGE or name.startswith(PACKAGE + ".") or _page_helper(name, module):
            del sys.modules[name]
