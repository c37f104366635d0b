"""The lesson pages added for issue 13: their shape, their chapter links, their glossary, their numbers.

The fast tests read the Markdown sources. The slow ones read the built site (the session's strict build)
and look for numbers the pages compute, so a change to the package that moves them shows up here.
"""

import html
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LESSONS = ["weight-init", "activations", "new-op", "mini-batches"]
# the start of each of the lecture's 22 chapters, in seconds (see master-notes.md)
CHAPTER_STARTS = {1: 0, 2: 25, 3: 488, 4: 852, 5: 1149, 6: 1930, 7: 3070, 8: 3172, 9: 4142, 10: 4652,
                  11: 4948, 12: 5225, 13: 5971, 14: 6235, 15: 6664, 16: 7076, 17: 7272, 18: 8043,
                  19: 8206, 20: 8470, 21: 8679, 22: 8720}
SECTIONS = ["## What the lecture says", "## The idea", "## Pitfalls", "## Try it", "## Run it locally"]
CHAPTER_LINK = re.compile(
    r"\[Ch\. (\d+), ([\d:]+), [^\]]+\]\(https://www\.youtube\.com/watch\?v=VMj-3S1tku0&t=(\d+)s\)")


def source(name):
    text = (DOCS / "topics" / f"{name}.md").read_text(encoding="utf-8")
    return re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)  # front matter


def seconds(stamp):
    """'1:09:02' or '52:52' -> seconds."""
    total = 0
    for part in stamp.split(":"):
        total = total * 60 + int(part)
    return total


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_has_the_page_shape(name):
    text = source(name)
    lines = text.strip().splitlines()
    assert lines[0].startswith("# "), f"{name}.md must start with its H1"
    at = [text.find(s) for s in SECTIONS]
    assert -1 not in at, f"{name}.md lacks {[s for s, i in zip(SECTIONS, at) if i < 0]}"
    assert at == sorted(at), f"{name}.md: the sections are not in the style guide's order"
    assert '??? success "Answer"' in text, f"{name}.md: Try it needs a collapsed answer"
    assert lines[-1] == "[Back to the master notes](../master-notes.md)"
    lead = text[: at[0]]
    assert 'html="true"' in lead, f"{name}.md: the main figure belongs in the lead, before the sections"


@pytest.mark.parametrize("name", LESSONS)
def test_chapter_links_match_the_chapter_starts(name):
    links = CHAPTER_LINK.findall(source(name))
    assert links, f"{name}.md: 'What the lecture says' needs a chapter link"
    for chapter, stamp, t in links:
        assert int(t) == CHAPTER_STARTS[int(chapter)], f"ch. {chapter} starts at {CHAPTER_STARTS[int(chapter)]} s"
        assert seconds(stamp) == int(t), f"ch. {chapter}: the text says {stamp}, the link {t} s"


def glossary_entries():
    text = (DOCS / "glossary.md").read_text(encoding="utf-8")
    return re.findall(r"^\*\*([^*]+)\*\*\{#([a-z-]+)\}: (.*?)(?=\n\n)", text, flags=re.S | re.M)


def test_every_glossary_entry_links_to_where_it_is_taught():
    entries = glossary_entries()
    assert len(entries) >= 12
    for term, _, body in entries:
        assert re.search(r"\]\((topics|reference)/[a-z-]+\.md(#[a-z0-9-]+)?\)", body), f"{term}: no link"


def test_glossary_covers_the_terms_of_issue_13():
    ids = {anchor for _, anchor, _ in glossary_entries()}
    wanted = {"leaf", "intermediate-node", "parameter", "gradient", "derivative", "local-derivative",
              "upstream-gradient", "forward-pass", "backward-pass", "loss", "learning-rate", "saturates",
              "pre-activation", "full-batch"}
    assert wanted <= ids, f"missing: {sorted(wanted - ids)}"


def test_provenance_notice():
    notice = (ROOT / "NOTICE").read_text(encoding="utf-8")
    assert "Copyright (c) 2020 Andrej Karpathy" in notice
    assert "Permission is hereby granted, free of charge" in notice
    import autograd_notes

    assert "micrograd" in autograd_notes.__doc__ and "NOTICE" in autograd_notes.__doc__


# ------------------------------------------------------------------------ the built pages


def text_of(built_site, page):
    raw = (built_site / page / "index.html").read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


@pytest.mark.slow
@pytest.mark.parametrize("page, pattern", [
    ("topics/weight-init", r"all 0\s*4\.0000\s*4\.0000"),  # every parameter at 0: the loss never moves
    ("topics/weight-init", r"hidden layer 1: 1 distinct neuron\(s\) of 4"),  # all 0.5 fits, still symmetric
    ("topics/activations", r"sigmoid\s+largest slope 0\.2500"),
    ("topics/new-op", r"b\.grad\s+0\.707106781187"),  # sigma(n) at the lecture's neuron: 1/sqrt(2)
    ("topics/mini-batches", r"For the same 10,000 points seen"),
    ("glossary", r"a\s+leaf\s+e\s+-3\.0\s+-2\.0\s+6\.0"),
])
def test_lesson_numbers(built_site, page, pattern):
    assert re.search(pattern, text_of(built_site, page)), f"{page} does not show /{pattern}/"
