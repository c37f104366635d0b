"""The build itself: reproducible byte for byte, and light to download.

- Two clean builds of the same sources (a private copy of the tree, fresh processes, no caches) give
  identical sites, every file byte for byte, with no allowance; so does a warm rebuild that replays
  executed blocks (.cache/exec) and notebooks (.cache/notebooks, .cache/mkdocs-jupyter) from the caches. After edits (a
  block's code in one page, prose in another, a notebook's text), a warm rebuild gives the same bytes as
  a build with every cache off.
  The sitemap's dates (and the gzip header of sitemap.xml.gz) come from SOURCE_DATE_EPOCH, which
  hooks/reproducible.py takes from the last git commit; the copy has no .git, so the test passes the
  same value to both builds.
- A topic page weighs at most 250 KB of HTML, and the site ships no image that no page uses.
"""

import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOPIC_PAGE_LIMIT = 250 * 1024
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".bmp", ".ico"}
# Not part of the build: tools, caches, outputs and the other venvs.
IGNORE = shutil.ignore_patterns(
    ".git", ".venv*", "site", ".cache", "__pycache__", ".pytest_cache", ".hypothesis", "*.egg-info",
    "node_modules", ".ipynb_checkpoints", "dist", "build",
)


def copy_tree(dest):
    """A private copy of the sources, so builds here touch neither the working tree nor its caches."""
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    return dest


def source_date_epoch():
    """The time of the last commit (what hooks/reproducible.py uses in a checkout), or a fixed one."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
        stamp = out.stdout.strip()
    except OSError:
        stamp = ""
    return stamp if stamp.isdigit() else "1700000000"


def build(tree, out, **env):
    """`mkdocs build --strict` of `tree` into `out`, in a fresh process; the package is imported from the copy."""
    env = dict(
        os.environ,
        NO_MKDOCS_2_WARNING="1",
        SOURCE_DATE_EPOCH=source_date_epoch(),
        PYTHONPATH=os.pathsep.join([str(tree / "src"), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        **env,
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=tree, env=env, capture_output=True, text=True,
    )
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed (exit {proc.returncode}):\n{proc.stderr[-20000:]}", pytrace=False)
    return out


def files(site):
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file()}


def diff_excerpt(a, b, rel, lines=12, width=100):
    """The start of a unified diff; a long line (minified JSON, inline SVG) is cut around its first change."""
    try:
        ta, tb = a.decode("utf-8"), b.decode("utf-8")
    except UnicodeDecodeError:
        return f"  binary: {len(a)} vs {len(b)} bytes, sha256 {hashlib.sha256(a).hexdigest()[:12]} vs " \
               f"{hashlib.sha256(b).hexdigest()[:12]}"
    la, lb = ta.splitlines(), tb.splitlines()
    i = next((k for k, (x, y) in enumerate(zip(la, lb)) if x != y), None)
    if i is not None and max(len(la[i]), len(lb[i])) > 2 * width:  # one long line: show where it changes
        x, y = la[i], lb[i]
        j = next((k for k, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
        lo = max(0, j - width // 2)
        return f"  line {i + 1}, from character {lo}:\n  - ...{x[lo:lo + width]!r}...\n  + ...{y[lo:lo + width]!r}..."
    out = []
    for line in difflib.unified_diff(la, lb, "build 1/" + rel, "build 2/" + rel, n=0, lineterm=""):
        out.append("  " + (line if len(line) < 2 * width else line[:2 * width] + " ..."))
        if len(out) >= lines:
            out.append("  ...")
            break
    return "\n".join(out)


def assert_same(one, two, what):
    f1, f2 = files(one), files(two)
    assert f1.keys() == f2.keys(), (
        f"{what}: different files: only in the first: {sorted(f1.keys() - f2.keys())}, "
        f"only in the second: {sorted(f2.keys() - f1.keys())}"
    )
    differ = []
    for rel in f1:
        a, b = f1[rel].read_bytes(), f2[rel].read_bytes()
        if a != b:
            differ.append(f"{rel}\n{diff_excerpt(a, b, rel)}")
    assert not differ, f"{what}: {len(differ)} of {len(f1)} files differ:\n" + "\n".join(differ)


@pytest.mark.slow
def test_two_clean_builds_and_a_warm_rebuild_are_identical(tmp_path):
    """Clean, clean again, then warm: the third build replays every executed block from .cache/exec
    (hooks/exec_cache.py) and every notebook from .cache/notebooks and .cache/mkdocs-jupyter
    (hooks/notebooks.py), and must still give the same bytes."""
    tree = copy_tree(tmp_path / "tree")
    one = build(tree, tmp_path / "site1")
    assert any((tree / ".cache" / "exec").glob("*.json")), "the first build stored no executed-block output"
    notebooks = len(list((tree / "docs" / "notebooks").glob("*.ipynb")))
    assert len(list((tree / ".cache" / "notebooks").rglob("*.ipynb"))) == notebooks, "notebooks not all cached"
    assert len(list((tree / ".cache" / "mkdocs-jupyter").rglob("*.json"))) == notebooks, "pages not all cached"
    shutil.rmtree(tree / ".cache", ignore_errors=True)
    two = build(tree, tmp_path / "site2")
    assert_same(one, two, "two clean builds")
    three = build(tree, tmp_path / "site3")
    assert_same(one, three, "a clean build and a warm rebuild")


@pytest.mark.slow
def test_a_warm_rebuild_after_edits_matches_a_build_without_caches(tmp_path):
    tree = copy_tree(tmp_path / "tree")
    build(tree, tmp_path / "site1")  # fills the caches
    page = tree / "docs" / "topics" / "derivatives.md"
    text = page.read_text()
    assert "\nh = 0.001\n" in text, "the test edits the step h of topics/derivatives.md: update it"
    page.write_text(text.replace("\nh = 0.001\n", "\nh = 0.0001\n", 1))  # a block: re-run from there
    other = tree / "docs" / "topics" / "chain-rule.md"
    other.write_text(other.read_text() + "\nAn added paragraph, for the test of the caches.\n")  # prose only
    notebook = tree / "docs" / "notebooks" / "01-lecture-part-1.ipynb"
    nb = json.loads(notebook.read_text())
    first = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    first["source"] = "".join(first["source"]) + "\n\nA sentence added for the test of the caches.\n"
    notebook.write_text(json.dumps(nb, indent=1) + "\n")  # one notebook edited: converted and run again
    warm = build(tree, tmp_path / "site2")
    cold = build(tree, tmp_path / "site3", BUILD_CACHE="false")
    assert "0.0001" in (warm / "topics" / "derivatives" / "index.html").read_text()
    assert "An added paragraph" in (warm / "search" / "search_index.json").read_text()
    assert "A sentence added" in (warm / "notebooks" / "01-lecture-part-1" / "index.html").read_text()
    assert_same(cold, warm, "a build without caches and a warm rebuild after edits")


# ---------------------------------------------------------------------------------------------- weight


@pytest.mark.slow
def test_topic_pages_are_light(built_site):
    sizes = {p.parent.name: p.stat().st_size for p in sorted((built_site / "topics").glob("*/index.html"))}
    assert sizes, "no topic page was built (topics/*/index.html)"
    heavy = {k: v for k, v in sizes.items() if v > TOPIC_PAGE_LIMIT}
    assert not heavy, "topic pages over 250 KB of HTML: " + ", ".join(
        f"topics/{k}/ {v / 1024:.0f} KB" for k, v in heavy.items()
    )


REF_ATTR = re.compile(r"""\s(src|href|srcset|data|poster|content|xlink:href)\s*=\s*(["'])(.*?)\2""", re.I | re.S)
CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""", re.I)


def references(text, is_css):
    """Every URL a page (attributes, inline styles) or a stylesheet (url(...)) points at."""
    refs = [m.group(2) for m in CSS_URL.finditer(text)]
    if not is_css:
        for m in REF_ATTR.finditer(text):
            name, value = m.group(1).lower(), m.group(3).strip()
            if name == "srcset":  # "a.png 1x, b.png 2x"
                refs += [part.split()[0] for part in value.split(",") if part.strip()]
            elif value:
                refs.append(value)
    return refs


def theme_files():
    """Files the theme itself ships (material/templates): its favicon and so on, not ours to prune."""
    import material

    root = Path(material.__file__).parent / "templates"
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_no_image_is_unused(built_site):
    """Every image file in the site is referenced by a page or a stylesheet (theme files and fonts aside)."""
    site = built_site
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', (site / "index.html").read_text("utf-8"))
    site_url = canonical.group(1) if canonical else ""
    prefix = urlsplit(site_url).path or "/"
    theme = theme_files()
    images = {
        rel for rel in files(site)
        if Path(rel).suffix.lower() in IMAGE_SUFFIXES and rel not in theme and "/fonts/" not in f"/{rel}"
    }
    used = set()
    for rel, path in files(site).items():
        if path.suffix not in (".html", ".css", ".xml", ".webmanifest"):
            continue
        here = prefix + rel
        for ref in references(path.read_text("utf-8", errors="replace"), path.suffix == ".css"):
            if ref.startswith(("data:", "mailto:", "javascript:", "#")):
                continue
            if site_url and ref.startswith(site_url):
                ref = prefix + ref[len(site_url):]
            u = urlsplit(urljoin("http://site" + here, ref))
            if u.netloc != "site" or not u.path.startswith(prefix):
                continue
            target = unquote(u.path[len(prefix):])
            used.add(target + "index.html" if target.endswith("/") or not target else target)
    unused = sorted(images - used)
    assert not unused, f"images in the site that no page or stylesheet uses (delete them or link them): {unused}"


@pytest.mark.slow
def test_notebook_pages_link_the_jupyter_css_instead_of_inlining_it(built_site):
    """hooks/notebooks.py: ~590 KB of JupyterLab CSS per notebook page becomes shared files."""
    pages = sorted((built_site / "notebooks").glob("*/index.html"))
    assert pages, "no notebook page was built"
    for page in pages:
        html = page.read_text("utf-8")
        big = [len(s) for s in re.findall(r"<style[^>]*>.*?</style>", html, re.S) if len(s) > 2000]
        assert not big, f"{page.parent.name}: inline <style> blocks of {big} characters"
        links = re.findall(r'<link rel="stylesheet" href="([^"]*notebook-[0-9a-f]{12}\.css)">', html)
        assert links, f"{page.parent.name}: no link to the shared notebook CSS"
        for href in links:
            assert (page.parent / href).resolve().is_file(), f"{page.parent.name}: {href} is missing"
        assert page.stat().st_size < 400 * 1024, f"{page.parent.name}: {page.stat().st_size / 1024:.0f} KB"
