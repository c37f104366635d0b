"""Give each notebook cell one block of printed output, as Jupyter shows it.

The kernel sends what a cell prints in chunks, and where one chunk ends depends on timing; nbclient
keeps each chunk as its own output unless `coalesce_streams` is on, so two builds of the same
notebook could render different HTML. That option is not configurable (no config=True), and
mkdocs-jupyter builds its ExecutePreprocessor itself, so this hook turns it on by default.
"""

from nbconvert.preprocessors import ExecutePreprocessor

_init = ExecutePreprocessor.__init__


def _init_coalescing(self, **kw):
    kw.setdefault("coalesce_streams", True)
    _init(self, **kw)


def on_startup(**kwargs):
    if ExecutePreprocessor.__init__ is not _init_coalescing:
        ExecutePreprocessor.__init__ = _init_coalescing
