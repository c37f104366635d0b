"""Index a page for search once, and again only when the page changes.

Material's search plugin parses the HTML of every page at every build: about 0.4 s here, a quarter of
a `mkdocs serve` refresh. The entries it makes for a page depend on that page alone: its HTML, its
table of contents, its address, its title and its front matter. This hook keeps each page's entries in
.cache/search.json under a hash of those (and of Material's version and search settings) and hands
them back while the hash is the same. Any change to the page makes a new hash: the page is parsed again.

The cache file holds the pages of the last build only. `SEARCH_CACHE=false` (or `BUILD_CACHE=false`)
turns it off for a build.
"""

import hashlib
import json
from pathlib import Path

import cachefile  # hooks/cachefile.py
from material.plugins.search.plugin import SearchIndex

if not hasattr(SearchIndex, "_ag_index_page"):  # Material's own, which _index_page calls
    SearchIndex._ag_index_page = SearchIndex.add_entry_from_context

_state = {"old": {}, "new": {}, "file": None}


def _toc(items):
    return [[i.id, i.title, i.level, _toc(i.children)] for i in items]


def _key(index, page):
    about = [
        _state["material"],
        {k: index.config.get(k) for k in ("lang", "separator", "pipeline", "fields")},
        page.url, page.title, page.meta, _toc(page.toc), page.content,
    ]
    return hashlib.sha256(json.dumps(about, default=str).encode()).hexdigest()  # front matter keeps its order


def _index_page(index, page):
    key = _key(index, page)
    entries = _state["old"].get(key)
    if entries is None:
        start = len(index.entries)
        SearchIndex._ag_index_page(index, page)
        entries = index.entries[start:]
    else:
        index.entries.extend(json.loads(json.dumps(entries)))  # fresh copies: the plugin may edit them
    _state["new"][key] = entries


def on_config(config, **kwargs):
    if not cachefile.enabled("SEARCH_CACHE"):
        SearchIndex.add_entry_from_context = SearchIndex._ag_index_page
        _state["file"] = None
        return
    SearchIndex.add_entry_from_context = _index_page
    _state["material"] = cachefile.versions(["mkdocs-material"])
    _state["file"] = Path(config.config_file_path).resolve().parent / ".cache" / "search.json"
    try:
        _state["old"] = json.loads(_state["file"].read_text())
    except (OSError, ValueError):
        _state["old"] = {}
    _state["new"] = {}


def on_post_build(config, **kwargs):
    path = _state["file"]
    if path is None or _state["new"] == _state["old"]:
        return
    cachefile.write(path, json.dumps(_state["new"]))
