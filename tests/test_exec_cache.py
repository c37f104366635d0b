"""hooks/exec_cache.py on a tiny site: what is replayed, what runs again, and what never gets stored.

Every block appends its name to runs.log when it really runs, so the log tells replays from runs.
The whole-page level is seen through its cache file: a marker written into the stored HTML shows up in
the next build only if the page was taken from the cache.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CONFIG = """\
site_name: cache test
strict: true
validation:
  anchors: warn
hooks:
  - hooks/exec_cache.py
markdown_extensions:
  - pymdownx.superfences
  - pymdownx.snippets:
      base_path: ["."]
      check_paths: true
plugins:
  - markdown-exec:
      languages: [python, pycon]
nav:
  - index.md
  - other.md
"""

OTHER = """\
# Other

See [the target](index.md#target).

--8<-- "notes.txt"
"""

PAGE = """\
# Cache test

{prose}

## Target

```python exec="on" session="s" result="text"
open("runs.log", "a").write("one\\n")
x = {x}
```

```python exec="on" session="s" result="text"
open("runs.log", "a").write("two\\n")
from tiny import K
print(f"answer={{x * K}}")
```
"""


@pytest.fixture
def site(tmp_path):
    (tmp_path / "hooks").mkdir()
    shutil.copy(ROOT / "hooks" / "exec_cache.py", tmp_path / "hooks")
    shutil.copy(ROOT / "hooks" / "cachefile.py", tmp_path / "hooks")
    (tmp_path / "docs").mkdir()
    (tmp_path / "src" / "autograd_notes").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    (tmp_path / "docs" / "other.md").write_text(OTHER)
    (tmp_path / "notes.txt").write_text("Included notes.\n\n--8<-- \"nested.txt\"\n")
    (tmp_path / "nested.txt").write_text("Nested notes, first version.\n")
    write(tmp_path, prose="Some prose.", x=2, k=21)
    return tmp_path


def write(site, prose=None, x=None, k=None, page=None):
    if page is not None:
        (site / "docs" / "index.md").write_text(page)
    elif prose is not None:
        (site / "docs" / "index.md").write_text(PAGE.format(prose=prose, x=x))
    if k is not None:  # a module the page imports; it stands in for the package (an input of the cache)
        (site / "src" / "autograd_notes" / "tiny.py").write_text(f"K = {k}\n")


def build(site, expect_ok=True, args=(), **env):
    log = site / "runs.log"
    log.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in {"EXEC_CACHE", "BUILD_CACHE"}} | {
        "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(site / "src" / "autograd_notes"), **env
    }
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site / "site"), *args],
        cwd=site, env=env, capture_output=True, text=True,
    )
    if expect_ok:
        assert proc.returncode == 0, proc.stderr[-5000:]
    else:
        assert proc.returncode != 0, "the build should have failed"
    runs = log.read_text().split() if log.exists() else []
    html = (site / "site" / "index.html").read_text() if expect_ok else proc.stderr
    return runs, html


def test_replays_until_something_changes(site):
    env = {"EXEC_CACHE": "true"}
    runs, html = build(site, **env)
    assert runs == ["one", "two"] and "answer=42" in html  # first build: everything runs

    runs, html = build(site, **env)
    assert runs == [] and "answer=42" in html  # nothing changed: both replayed

    write(site, prose="Other prose, same code.", x=2)
    runs, html = build(site, **env)
    assert runs == [] and "Other prose" in html and "answer=42" in html  # prose only: replayed

    write(site, prose="Other prose, same code.", x=3)
    runs, html = build(site, **env)
    assert runs == ["one", "two"] and "answer=63" in html  # first block edited: both run

    write(site, k=10)
    runs, html = build(site, **env)
    assert runs == ["one", "two"] and "answer=30" in html  # the package changed: everything runs

    runs, html = build(site, EXEC_CACHE="false")
    assert runs == ["one", "two"] and "answer=30" in html  # cache off: runs, and never reads the cache


def test_an_edited_later_block_gets_the_state_of_the_earlier_ones(site):
    build(site)
    text = (site / "docs" / "index.md").read_text().replace("answer={x * K}", "double={x * K * 2}")
    write(site, page=text)
    runs, html = build(site)
    # the first block is replayed for its output, then run again (its output discarded) to recreate `x`
    assert runs == ["one", "two"] and "double=84" in html


def test_a_failing_block_fails_the_build_and_is_not_stored(site):
    build(site)
    text = (site / "docs" / "index.md").read_text().replace('print(f"answer', 'raise ValueError("boom")\nprint(f"answer')
    write(site, page=text)
    _, err = build(site, expect_ok=False)
    assert "boom" in err
    _, err = build(site, expect_ok=False)  # still fails: the failure was not cached as a success
    assert "boom" in err


def test_a_page_can_opt_out(site):
    text = "---\nexec_cache: false\n---\n\n" + (site / "docs" / "index.md").read_text()
    write(site, page=text)
    assert build(site)[0] == ["one", "two"]
    assert build(site)[0] == ["one", "two"]


def stored_page(site, uri):
    """The whole-page cache entry of docs/`uri`, as the hook stores it (None when there is none)."""
    for path in (site / ".cache" / "exec" / "pages").glob("*.json"):
        data = json.loads(path.read_text())
        if data["uri"] == uri:
            return path, data
    return None, None


def mark_stored_page(site, uri, marker):
    path, data = stored_page(site, uri)
    assert data is not None, f"{uri} was not stored"
    data["content"] += f"<p>{marker}</p>"
    path.write_text(json.dumps(data))


def test_an_unchanged_page_is_taken_whole_from_the_cache(site):
    build(site)
    mark_stored_page(site, "index.md", "FROM-THE-PAGE-CACHE")
    runs, html = build(site)
    assert runs == [] and "FROM-THE-PAGE-CACHE" in html and "answer=42" in html

    mark_stored_page(site, "index.md", "FROM-THE-PAGE-CACHE")
    write(site, prose="Edited prose.", x=2)  # the page changed: converted again (its blocks replayed)
    runs, html = build(site)
    assert runs == [] and "FROM-THE-PAGE-CACHE" not in html and "Edited prose." in html

    mark_stored_page(site, "index.md", "FROM-THE-PAGE-CACHE")
    runs, html = build(site, BUILD_CACHE="false")  # every cache off
    assert runs == ["one", "two"] and "FROM-THE-PAGE-CACHE" not in html


def test_included_files_are_inputs_of_the_page(site):
    build(site)
    assert "first version" in (site / "site" / "other" / "index.html").read_text()
    (site / "nested.txt").write_text("Nested notes, second version.\n")  # included by an included file
    build(site)
    assert "second version" in (site / "site" / "other" / "index.html").read_text()
    (site / "notes.txt").write_text("--8<--\nnested.txt\n--8<--\n\nBlock form.\n")  # the block syntax
    build(site)
    (site / "nested.txt").write_text("Nested notes, third version.\n")
    build(site)
    assert "third version" in (site / "site" / "other" / "index.html").read_text()


@pytest.mark.parametrize("flag", ["-q", "-v"])
def test_quiet_and_verbose_builds_store_no_page(site, flag):
    # -q hides warnings from the hook, -v stops MkDocs collecting links to anchors: a page stored then
    # could later pass a strict build it should fail
    build(site, args=[flag])
    assert stored_page(site, "index.md")[1] is None and stored_page(site, "other.md")[1] is None
    build(site)
    assert stored_page(site, "index.md")[1] is not None


def test_front_matter_of_any_shape(site):
    write(site, page="---\n2024: first year\nnote: x\n---\n\n" + (site / "docs" / "index.md").read_text())
    build(site)
    runs, html = build(site)
    assert runs == [] and "answer=42" in html


def test_links_of_a_cached_page_are_still_checked(site):
    build(site)
    assert stored_page(site, "other.md")[1] is not None
    # other.md does not change, so it comes from the cache; the anchor it links to goes away
    write(site, page=(site / "docs" / "index.md").read_text().replace("## Target", "## Renamed"))
    _, err = build(site, expect_ok=False)
    assert "other.md" in err and "#target" in err


def test_a_page_that_warns_is_not_stored(site):
    (site / "docs" / "other.md").write_text(OTHER + "\nAnd [a page that is not there](missing.md).\n")
    _, err = build(site, expect_ok=False)
    assert "missing.md" in err
    assert stored_page(site, "other.md")[1] is None
    _, err = build(site, expect_ok=False)  # so it is converted again, and warns again
    assert "missing.md" in err


def test_a_broken_anchor_link_fails_every_build(site):
    (site / "docs" / "other.md").write_text(OTHER.replace("#target", "#nowhere"))
    for _ in range(2):  # anchors are checked after all pages are converted, cached ones included
        _, err = build(site, expect_ok=False)
        assert "#nowhere" in err
