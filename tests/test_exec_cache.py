"""The build caches on a tiny site: what is replayed, what runs again, and faults that must not break a build.

hooks/exec_cache.py (executed blocks) and hooks/notebooks.py (executed notebooks, mkdocs-jupyter's cache) run
on a two-page site with one notebook. Every block and cell appends its name to runs.log when it really runs, so the log
tells replays from runs. The adversarial tests damage the caches (a truncated file, `[]` in an entry),
change the environment (a stand-in `dot` that reports a new version) or markdown-exec itself, and check
that a build then runs again, or stops with a clear message, and never fails on a cache.
The last test scans docs/: no two pages share a markdown-exec session name.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # each test builds a small site several times (seconds)

CONFIG = """\
site_name: cache test
strict: true
validation:
  anchors: warn
hooks:
  - hooks/exec_cache.py
  - hooks/notebooks.py
  - hooks/serve_errors.py
markdown_extensions:
  - pymdownx.superfences
plugins:
  - markdown-exec:
      languages: [python, pycon]
  - mkdocs-jupyter:
      include: ["*.ipynb"]
      ignore: ["*.md"]
      execute: false
      allow_errors: false
      kernel_name: python3
      include_source: true
nav:
  - index.md
  - other.md
  - nb.ipynb
"""

PAGE = """\
# Cache test

{prose}

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

OTHER = """\
# Other

```python exec="on" session="other" result="text"
open("runs.log", "a").write("other\\n")
print("other page")
```
"""


def notebook(code='print("from the notebook")'):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Notebook"),
                nbformat.v4.new_code_cell('import os\nopen(os.environ["RUNS_LOG"], "a").write("cell\\n")\n' + code)]
    return nbformat.writes(nb)


@pytest.fixture
def site(tmp_path):
    shutil.copytree(ROOT / "hooks", tmp_path / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "docs").mkdir()
    (tmp_path / "src" / "autograd_notes").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    (tmp_path / "docs" / "other.md").write_text(OTHER)
    (tmp_path / "docs" / "nb.ipynb").write_text(notebook())
    write(tmp_path, prose="Some prose.", x=2, k=21)
    return tmp_path


def write(site, prose=None, x=None, k=None, page=None):
    if page is not None:
        (site / "docs" / "index.md").write_text(page)
    elif prose is not None:
        (site / "docs" / "index.md").write_text(PAGE.format(prose=prose, x=x))
    if k is not None:  # a module the page imports; it stands in for the package (an input of the caches)
        (site / "src" / "autograd_notes" / "tiny.py").write_text(f"K = {k}\n")


def page_text(site):
    return (site / "docs" / "index.md").read_text()


def build(site, expect_ok=True, args=("--strict",), command=None, **env):
    """Build `site`; return (what ran, in order, the home page's HTML or the log when it failed)."""
    log = site / "runs.log"
    log.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.endswith("_CACHE")} | {
        "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(site / "src" / "autograd_notes"), "RUNS_LOG": str(log), **env
    }
    command = command or [sys.executable, "-m", "mkdocs", "build"]
    proc = subprocess.run([*command, *args, "-d", str(site / "site")], cwd=site, env=env,
                          capture_output=True, text=True, timeout=300)
    if expect_ok:
        assert proc.returncode == 0, proc.stderr[-5000:]
    else:
        assert proc.returncode != 0, "the build should have failed"
    runs = log.read_text().split() if log.exists() else []
    html = (site / "site" / "index.html").read_text() if expect_ok else proc.stderr
    return runs, html


def notebook_html(site):
    return (site / "site" / "nb" / "index.html").read_text()


def cache_files(site, kind):
    """The entries of one cache: "exec" (blocks), "notebook" (mkdocs-jupyter's HTML) or "executed" (notebooks)."""
    folder, pattern = {"exec": ("exec", "*.json"), "notebook": ("mkdocs-jupyter", "*.json"),
                       "executed": ("notebooks", "*.ipynb")}[kind]
    return sorted((site / ".cache" / folder).rglob(pattern))


# ---- replay


def test_replays_until_something_changes(site):
    runs, html = build(site)
    assert sorted(runs) == ["cell", "one", "other", "two"] and "answer=42" in html  # first build: everything runs

    runs, html = build(site)
    assert runs == [] and "answer=42" in html  # nothing changed: every block and the notebook replayed

    write(site, prose="Other prose, same code.", x=2)
    runs, html = build(site)
    assert runs == [] and "Other prose" in html and "answer=42" in html  # prose only: replayed

    write(site, prose="Other prose, same code.", x=3)
    runs, html = build(site)
    assert runs == ["one", "two"] and "answer=63" in html  # first block edited: that page runs

    write(site, k=10)
    runs, html = build(site)
    assert sorted(runs) == ["cell", "one", "other", "two"] and "answer=30" in html  # the package: everything

    runs, html = build(site, BUILD_CACHE="false")
    assert sorted(runs) == ["cell", "one", "other", "two"] and "answer=30" in html  # caches off


def test_an_edited_later_block_gets_the_state_of_the_earlier_ones(site):
    build(site)
    write(site, page=page_text(site).replace("answer={x * K}", "double={x * K * 2}"))
    runs, html = build(site)
    # the first block is replayed for its output, then run again (its output discarded) to recreate `x`
    assert runs == ["one", "two"] and "double=84" in html


def test_a_page_can_opt_out_of_replay(site):
    write(site, page="---\nexec_cache: false\n---\n\n" + page_text(site))
    assert build(site)[0][:2] == ["one", "two"]
    assert build(site)[0] == ["one", "two"]


# ---- clean sessions


def test_a_session_starts_empty_on_every_page_even_with_a_shared_name(site):
    (site / "docs" / "other.md").write_text(OTHER.replace('session="other"', 'session="s"').replace(
        'print("other page")', 'print("x is", "left over" if "x" in globals() else "not defined")'))
    build(site)
    assert "x is not defined" in (site / "site" / "other" / "index.html").read_text()


DRIVER = """\
# Two builds in one process, as `mkdocs serve` does, with an edit to the page's first block in between.
import pathlib, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config

page = pathlib.Path("docs/index.md")
build(load_config("mkdocs.yml", site_dir=sys.argv[-1]))
page.write_text(page.read_text().replace("old = 1", "new = 1"))
build(load_config("mkdocs.yml", site_dir=sys.argv[-1]))
"""


def test_a_rebuild_in_the_same_process_starts_from_empty_sessions(site):
    page = page_text(site).replace('print(f"answer={x * K}")',
                                   'print("names:", "+".join(k for k in ("old", "new") if k in globals()))')
    write(site, page=page.replace("x = 2", "old = 1\nx = 2"))
    (site / "drive.py").write_text(DRIVER)
    build(site, command=[sys.executable, "drive.py"], args=())
    assert "names: new\n" in (site / "site" / "index.html").read_text()  # not "old+new"


# ---- failures


def test_a_failing_block_names_its_page_and_block_and_is_not_stored(site):
    build(site)
    write(site, page=page_text(site).replace('print(f"answer', 'raise ValueError("boom")\nprint(f"answer'))
    for _ in range(2):  # the failure was not cached as a success: it fails again
        _, log = build(site, expect_ok=False)
        assert 'index.md: block 2 (session "s") raised ValueError: boom' in log


def test_a_failing_block_shows_in_the_page_when_not_strict(site):
    write(site, page=page_text(site).replace('print(f"answer', 'raise ValueError("boom")\nprint(f"answer'))
    _, html = build(site, args=("--no-strict",))
    box = re.search(r'<div class="admonition failure" role="alert" id="build-warnings">(.*?)</div>', html, re.S)
    assert box and "index.md: block 2" in box.group(1) and "boom" in box.group(1)
    assert "build-warnings" not in (site / "site" / "other" / "index.html").read_text()  # only where it failed


def test_a_failing_notebook_cell_names_the_notebook(site):
    (site / "docs" / "nb.ipynb").write_text(notebook('raise RuntimeError("cell boom")'))
    _, log = build(site, expect_ok=False)
    assert "Error reading page 'nb.ipynb'" in log and "cell boom" in log, log[-3000:]


def test_a_failing_notebook_shows_as_its_page_when_not_strict(site):
    (site / "docs" / "nb.ipynb").write_text(notebook('raise RuntimeError("cell boom")'))
    build(site, args=("--no-strict",))
    page = notebook_html(site)
    assert "This notebook failed to run" in page and "cell boom" in page
    assert "nb.ipynb: the notebook failed to run" in page  # and the warning box names it


def test_a_failing_notebook_names_the_cell(site):
    nb = nbformat.reads(notebook(), as_version=4)
    nb.cells += [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("1 / 0")]
    (site / "docs" / "nb.ipynb").write_text(nbformat.writes(nb))
    _, log = build(site, expect_ok=False)
    assert "Error reading page 'nb.ipynb': cell 4 failed" in log and "ZeroDivisionError" in log, log[-3000:]


def test_a_missing_kernel_says_how_to_register_it(site):
    (site / "mkdocs.yml").write_text(CONFIG.replace("kernel_name: python3", "kernel_name: no-such-kernel"))
    _, log = build(site, expect_ok=False)
    assert "no-such-kernel" in log and "scripts/setup-torch.sh" in log, log[-3000:]


def test_the_plugin_executing_the_notebooks_itself_is_refused(site):
    (site / "mkdocs.yml").write_text(CONFIG.replace("execute: false", "execute: true"))
    _, log = build(site, expect_ok=False)
    assert "set `execute: false` for mkdocs-jupyter" in log, log[-3000:]


def test_the_notebook_runs_while_the_markdown_pages_build(site):
    # The first page's block waits for a file that the notebook's cell writes. Were the notebook run when
    # its page is built (after the Markdown pages), the block would wait in vain: it gives up after 60 s.
    nb = nbformat.reads(notebook(), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import pathlib\npathlib.Path('notebook-started').touch()"))
    (site / "docs" / "nb.ipynb").write_text(nbformat.writes(nb))
    wait = ("import pathlib, time\nstart = time.time()\n"
            "while not pathlib.Path('docs/notebook-started').exists():\n"
            "    assert time.time() - start < 60, 'the notebook did not start'\n"
            "    time.sleep(0.05)\nprint('the notebook had started')\n")
    write(site, page=PAGE.format(prose="prose", x=2).replace("x = 2\n", "x = 2\n" + wait))
    _, html = build(site)
    assert "the notebook had started" in html and "from the notebook" in notebook_html(site)


def test_an_edited_notebook_runs_again_and_its_old_copy_goes(site):
    build(site)
    (site / "docs" / "nb.ipynb").write_text(notebook('print("edited")'))
    runs, _ = build(site)
    assert runs == ["cell"] and "edited" in notebook_html(site)
    assert len(cache_files(site, "executed")) == 1  # the copy of the first version was deleted


def test_the_download_copy_is_the_notebook_as_written(site):
    build(site)
    copy = nbformat.read(site / "site" / "nb" / "nb.ipynb", as_version=4)
    assert "from the notebook" in notebook_html(site)  # the page shows the outputs
    assert all(not c.get("outputs") for c in copy.cells if c.cell_type == "code")  # the download has none


def test_the_hook_stops_the_build_if_markdown_exec_no_longer_calls_its_runner(site):
    # A stand-in for a markdown-exec release whose formatter calls its runner directly, not by name.
    stand_in = textwrap.dedent("""\
        import sys
        from markdown_exec._internal import main
        from markdown_exec._internal.formatters import base, python
        run = python._run_python
        main.formatters["python"] = lambda **kw: base.base_format(language="python", run=run, **kw)
        from mkdocs.__main__ import cli
        sys.argv = ["mkdocs", *sys.argv[1:]]
        cli()
    """)
    (site / "stand_in.py").write_text(stand_in)
    _, log = build(site, expect_ok=False, command=[sys.executable, "stand_in.py", "build"])
    assert "no longer looks up _run_python" in log and "constraints.txt" in log


# ---- damaged caches and a changed environment


@pytest.mark.parametrize("damage", ["truncated", "a list", "wrong fields"])
def test_a_damaged_cache_file_is_a_miss_and_is_replaced(site, damage):
    build(site)
    files = cache_files(site, "exec") + cache_files(site, "notebook") + cache_files(site, "executed")
    assert len(files) == 4, files  # two pages, the notebook's page and its executed copy
    for f in files:
        text = f.read_text()
        f.write_text({"truncated": text[: len(text) // 2], "a list": "[]",
                      "wrong fields": json.dumps({"content": 1, "blocks": {}})}[damage])
    runs, html = build(site)
    assert sorted(runs) == ["cell", "one", "other", "two"] and "answer=42" in html
    assert "from the notebook" in notebook_html(site)
    assert build(site)[0] == []  # the damaged files were replaced by good ones


def test_a_new_graphviz_version_runs_blocks_and_notebooks_again(site, tmp_path_factory):
    build(site)
    bin_dir = tmp_path_factory.mktemp("bin")
    dot = bin_dir / "dot"
    dot.write_text("#!/bin/sh\necho 'dot - graphviz version 99.0.0 (stand-in)' >&2\n")
    dot.chmod(0o755)
    runs, _ = build(site, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert sorted(runs) == ["cell", "one", "other", "two"]


# ---- session names in the real pages


def executed_sessions(markdown):
    """The session names of the executed fences of a page, leaving out fences shown inside other fences."""
    names, fence = set(), None
    for line in markdown.splitlines():
        stripped = line.strip()
        if fence is None:
            m = re.match(r"(`{3,}|~{3,})(.*)", stripped)
            if m:
                fence = m.group(1)
                if re.search(r'\bexec="(on|true|1|yes)"', m.group(2)):
                    names.update(re.findall(r'\bsession="([^"]+)"', m.group(2)))
        elif re.fullmatch(re.escape(fence[0]) + f"{{{len(fence)},}}", stripped):
            fence = None
    return names


def test_executed_sessions_ignores_examples_inside_other_fences():
    page = '````markdown\n```python exec="on" session="shown"\n```\n````\n\n```python exec="on" session="real"\n```\n'
    assert executed_sessions(page) == {"real"}


def test_no_two_pages_share_a_session_name():
    owners = {}
    for path in sorted((ROOT / "docs").rglob("*.md")):
        for name in executed_sessions(path.read_text(encoding="utf-8")):
            owners.setdefault(name, []).append(path.relative_to(ROOT / "docs").as_posix())
    shared = {name: pages for name, pages in owners.items() if len(pages) > 1}
    assert not shared, f"session names used by more than one page (give each page its own): {shared}"
