"""Move the stylesheets mkdocs-jupyter inlines into every notebook page out into shared files.

Each notebook page carries about 590 KB of JupyterLab CSS in <style> blocks, the same on every
page. Here each block becomes a file, assets/css/notebook-<hash of its text>.css, linked from the
place where the block stood (so the order of the rules does not change). A reader's browser then
downloads the CSS once for all notebooks, a notebook page shrinks to a fifth, and the search plugin
no longer parses the CSS of every page. Same CSS, same file name: builds stay reproducible.
"""

import hashlib
import re
from pathlib import Path

from mkdocs.utils import get_relative_url

STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
MIN_SIZE = 2000  # small blocks are cheaper inline than as a request
_files = {}  # site path -> CSS text, collected over the build's pages


def _link(match, page):
    css = match.group(1)
    if len(css) < MIN_SIZE:
        return match.group(0)
    path = f"assets/css/notebook-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    _files[path] = css
    return f'<link rel="stylesheet" href="{get_relative_url(path, page.url)}">'


def on_pre_build(config, **kwargs):
    _files.clear()


def on_page_content(html, page, **kwargs):
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    return STYLE.sub(lambda m: _link(m, page), html)


def on_post_build(config, **kwargs):
    for path, css in sorted(_files.items()):
        out = Path(config.site_dir) / path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(css, encoding="utf-8")
