"""Fewer collections of Python's cyclic garbage collector while the pages' code runs.

The pages build and drop many graphs of small objects: the moons demo alone makes about 7,400 Values per
training step. With the default threshold, the collector runs each time 2,000 new objects are alive, so
it walks every live graph again and again (about 2,700 collections, 2.5 to 4 s of a clean build on this
site), and finds nothing: a graph of `autograd_notes` holds no reference cycles, so reference counting
frees it (the engine's docstring; a test checks it with the collector off). A threshold of 50,000
leaves a few dozen collections. Cycles made elsewhere (MkDocs, Markdown) are still collected, only less
often; the site's output does not change (the tests compare builds byte for byte).
"""

import gc

YOUNGEST = 50_000  # objects allocated (net) before a collection of the youngest generation; Python's default is 2,000


def on_config(config, **kwargs):
    gc.set_threshold(YOUNGEST, *gc.get_threshold()[1:])
