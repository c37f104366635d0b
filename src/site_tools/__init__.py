"""Build-time helpers of the site, kept apart from the teaching package `autograd_notes`.

- `site_tools.cache`: what the build caches share (their switches, the environment key, safe reads and writes).
- `site_tools.torch_run`: runs the PyTorch scripts of docs/snippets for the PyTorch page.

Pages import these like any module (``from site_tools import torch_run``): the editable install
(``pip install -e .``, done by scripts/setup.sh) puts src/ on the path. The wheel of the package
leaves them out: they serve the site, not the readers of the package.
"""
