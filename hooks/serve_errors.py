"""Show a build's warnings in the pages they belong to, when the build is not strict (`make serve`).

Under `strict: true` MkDocs stops at the first build with a warning, and `mkdocs serve` then leaves
every request waiting with nothing in the browser. `make serve` therefore serves with `--no-strict`,
and this hook puts each page's warnings (a failing block, a broken link, a notebook cell that raised)
in a red box at the top of that page, so the writer sees them where they are looking. Warnings not
raised while a page was converted (the navigation, say) go on every page. A strict build (`make build`,
the tests, CI) is untouched: there a warning still fails the build.
"""

import html
import logging

from mkdocs.plugins import event_priority

_state = {"on": False, "records": [], "start": 0, "pages": {}}


class _Collect(logging.Handler):
    ours = True  # found again (and removed) when MkDocs imports this file anew for the next build

    def __init__(self):
        super().__init__(logging.WARNING)

    def emit(self, record):
        _state["records"].append(self.format(record))


def _logger():
    return logging.getLogger("mkdocs")


def on_config(config, **kwargs):
    logger = _logger()
    for handler in [h for h in logger.handlers if getattr(h, "ours", False)]:
        logger.removeHandler(handler)
    _state["on"] = not config.strict
    if _state["on"]:
        logger.addHandler(_Collect())


def on_pre_build(config, **kwargs):
    _state.update(records=[], start=0, pages={})


def on_pre_page(page, **kwargs):
    _state["start"] = len(_state["records"])
    return page


def on_page_content(content, page, **kwargs):
    if _state["on"]:
        _state["pages"][page.file.src_uri] = (_state["start"], len(_state["records"]))
    return content


def _box(messages):
    items = "\n".join(f"<pre>{html.escape(m)}</pre>" for m in messages)
    return (
        '<div class="admonition failure" role="alert" id="build-warnings">'
        f'<p class="admonition-title">This page has {len(messages)} build warning(s): '
        "a strict build (make build, the tests) fails on them</p>\n"
        f"{items}</div>\n"
    )


@event_priority(-90)
def on_post_page(output, page, **kwargs):
    if not _state["on"]:
        return output
    start, end = _state["pages"].get(page.file.src_uri, (0, 0))
    spans = set(range(start, end))
    for a, b in _state["pages"].values():
        spans.update(range(a, b))  # what belongs to some page
    messages = _state["records"][start:end] + [m for i, m in enumerate(_state["records"]) if i not in spans]
    if not messages:
        return output
    anchor = output.find('<article class="md-content__inner md-typeset">')
    if anchor < 0:
        anchor = output.find("<body")
    if anchor < 0:
        return _box(messages) + output
    at = output.index(">", anchor) + 1
    return output[:at] + _box(messages) + output[at:]
