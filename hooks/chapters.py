"""Chapters and topics: where a topic page belongs in the master notes, and the links that leave the site.

The master notes (docs/master-notes.md) have one section per chapter of the lecture, each with an id
(``## 6. Manual backpropagation ... {#ch06}``), and link the topic pages that chapter needs. From those
links this hook knows, for each topic page, the chapters it covers. It uses that three ways:

- "Back to the master notes": a topic page's link ``../master-notes.md`` gets the anchor of the first
  chapter that links the page (``../master-notes.md#ch06``), so the reader lands where they left.
- The Topics overview (docs/topics/index.md): its marker line ``<!-- ag:topics -->`` becomes one line per
  topic page, in the order of the nav (the lecture's), with the page's title, its first sentence and the
  chapters it covers.
- Links to the video (youtube.com, youtu.be) open in a new tab, and say so to screen readers.

Everything comes from the pages' own text at build time: a new topic page linked from the master notes
shows up in the overview with no edit here.
"""

import re
from pathlib import Path

MASTER = "master-notes.md"
MARKER = "<!-- ag:topics -->"
_HEADING = re.compile(r"^##\s+(?P<num>\d+)\.\s+(?P<title>.*?)\s*\{#(?P<id>ch\d+)\}\s*$")
_LINK = re.compile(r"\]\((?P<path>topics/[^)#\s]+\.md)(?:#[^)\s]*)?\)")
_BACK = re.compile(r"\]\(\.\./master-notes\.md\)")
_VIDEO = re.compile(
    r'<a (?P<attrs>[^>]*href="https://(?:www\.youtube\.com|youtu\.be)/[^"]*"[^>]*)>(?P<text>.*?)</a>', re.DOTALL
)

_state = {"chapters": {}, "covers": {}, "topics": []}


def on_config(config, **kwargs):
    """Read the chapters of the master notes and which topic pages each one links."""
    docs = Path(config.docs_dir)
    chapters, covers = {}, {}
    current = None
    source = docs / MASTER
    text = source.read_text(encoding="utf-8") if source.is_file() else ""
    for line in text.splitlines():
        m = _HEADING.match(line)
        if m:
            current = m.group("id")
            chapters[current] = (int(m.group("num")), m.group("title"))
            continue
        for link in _LINK.finditer(line):
            if current is not None and current not in covers.setdefault(link.group("path"), []):
                covers[link.group("path")].append(current)
    _state.update(chapters=chapters, covers=covers, docs=docs)
    return config


def on_nav(nav, config, files, **kwargs):
    """The topic pages, in nav order (the lecture's)."""
    _state["topics"] = [
        p.file.src_uri for p in nav.pages
        if p.file.src_uri.startswith("topics/") and p.file.src_uri != "topics/index.md"
    ]
    return nav


def on_page_markdown(markdown, page, **kwargs):
    uri = page.file.src_uri
    first = (_state["covers"].get(uri) or [None])[0]
    if first is not None and uri.startswith("topics/"):
        markdown = _BACK.sub(f"](../{MASTER}#{first})", markdown)
    if uri == "topics/index.md" and MARKER in markdown:
        markdown = markdown.replace(MARKER, _overview())
    return markdown


def on_page_content(html, page, **kwargs):
    """Video links open in a new tab; the link text tells screen readers."""
    def blank(m):
        attrs = m.group("attrs")
        if "target=" in attrs:
            return m.group(0)
        hint = '<span class="ag-sr-only"> (opens in a new tab)</span>'
        return f'<a {attrs} target="_blank" rel="noopener">{m.group("text")}{hint}</a>'

    return _VIDEO.sub(blank, html)


def _overview():
    """One Markdown list item per topic page: title, first sentence, chapters."""
    lines = []
    for uri in _state["topics"]:
        title, summary = _title_and_summary(_state["docs"] / uri)
        chs = [
            f"[Ch. {_state['chapters'][c][0]}](../{MASTER}#{c} \"{_state['chapters'][c][1]}\")"
            for c in _state["covers"].get(uri, [])
        ]
        where = f" ({', '.join(chs)})" if chs else ""
        rel = uri.removeprefix("topics/")
        lines.append(f"- **[{title}]({rel})**{where}: {summary}")
    return "\n".join(lines) + "\n"


def _title_and_summary(path):
    """The page's H1 and the first sentence of its first paragraph (front matter skipped)."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        text = text[end + 4:] if end != -1 else text
    title, para = path.stem, []
    for line in text.splitlines():
        if line.startswith("# ") and title == path.stem:
            title = line[2:].strip()
        elif title != path.stem and line.strip() and not line.startswith(("#", "!!!", "???", "```", "<", "-", "|")):
            para.append(line.strip())
        elif para:
            break
    first = " ".join(para)
    m = re.match(r"(.+?[.!?])(\s|$)", first)
    return title, (m.group(1) if m else first)
