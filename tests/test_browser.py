"""The built site, as a reader's browser sees it.

Debian's chromium (never a downloaded browser) loads every page of the strict build, served under the path of
its site_url (`/autograd-notes/` by default: where GitHub Pages serves a project) and nowhere else, and checks
what a reader would notice: errors, requests that leave the site, dead links and anchors, search, dark mode,
maths, the notebook downloads, accessibility (axe-core, in tests/vendor/axe-core), and the reader's tools: the
figure viewer (every figure whole in its column, zoom to legible labels), the backprop stepper, progress ticks,
tabs that hide no figure, the chapter back links and the Topics overview.

One crawl visits every page once and records everything; the tests below read that record, so each failure
lists every page and every problem at once.
"""

import functools
import hashlib
import http.server
import os
import re
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SUB_PATH = "/autograd-notes/"  # where mkdocs.yml's default site_url puts the site, as GitHub Pages does
VIDEO_ID = "VMj-3S1tku0"
AXE_DIR = Path(__file__).parent / "vendor" / "axe-core"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # axe-core 4.14.1
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
LEGIBLE_PX = 12.0  # zoomed in, every label of a figure reaches at least this size
TIMEOUT_MS = 15_000


# ---------------------------------------------------------------------------------------------- browser


def chromium_path():
    """The system chromium (`CHROMIUM` overrides), or None."""
    for c in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if c and shutil.which(c):
            return shutil.which(c)
    return None


@pytest.fixture(scope="module")
def chromium():
    exe = chromium_path()
    if exe is None:
        why = "Debian's chromium is not installed: apt-get install chromium (or APT_EXTRA=chromium make test)"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    return exe


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # launch() gives every run a fresh, temporary user-data dir (Playwright refuses --user-data-dir here).
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


# ---------------------------------------------------------------------------------------------- the site


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site directory under `prefix` only; anything else is a 404 (like a project's Pages site)."""

    prefix = SUB_PATH

    def send_head(self):
        p = urlsplit(self.path).path
        if p != self.prefix.rstrip("/") and not p.startswith(self.prefix):
            self.send_error(404, "outside the site's sub-path")
            return None
        return super().send_head()  # "/autograd-notes" gets a redirect to "/autograd-notes/"

    def translate_path(self, path):
        p = urlsplit(path).path
        return super().translate_path("/" + (p[len(self.prefix):] if p.startswith(self.prefix) else ""))

    def log_message(self, *args):
        pass


def _site_url(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<link rel="canonical" href="([^"]+)"', html)
    return m.group(1) if m else None


@pytest.fixture(scope="module")
def site(built_site):
    site = Path(built_site)
    assert (site / "index.html").is_file(), f"built_site ({site}) has no index.html"
    return site


@pytest.fixture(scope="module")
def prefix(site):
    """The URL path the site was built for (site_url's path): the server puts it there, and only there."""
    url = _site_url(site)
    path = urlsplit(url).path if url else "/"
    assert path != "/" and path.endswith("/"), (
        f"the site was built with site_url {url!r}: the browser tests need a sub-path like {SUB_PATH}, "
        f"where GitHub Pages serves a project. Unset SITE_URL, or set it to e.g. http://127.0.0.1:8000{SUB_PATH}"
    )
    return path


@pytest.fixture(scope="module")
def base_url(site, prefix):
    handler = functools.partial(type("Handler", (_SubPathHandler,), {"prefix": prefix}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    server.shutdown()
    server.server_close()


def page_paths(site):
    """Site-relative URL of every page: each index.html directory, and 404.html."""
    paths = sorted(
        ("" if p.parent == site else p.parent.relative_to(site).as_posix() + "/")
        for p in site.rglob("index.html")
    )
    if (site / "404.html").is_file():
        paths.append("404.html")
    return paths


# ---------------------------------------------------------------------------------------------- in-page probes

REVEAL_JS = """(el) => {
  // Open every tab (pymdownx.tabbed) and <details> that hides `el`, so that it can be measured.
  for (let node = el; node; node = node.parentElement) {
    if (node.tagName === 'DETAILS') node.open = true;
    if (node.classList && node.classList.contains('tabbed-block')) {
      const blocks = Array.from(node.parentElement.children);
      const set = node.closest('.tabbed-set');
      const inputs = Array.from(set.querySelectorAll(':scope > input'));
      const input = inputs[blocks.indexOf(node)];
      if (input && !input.checked) input.click();
    }
  }
}"""

MATHS_JS = r"""() => {
  const main = document.querySelector('article') || document.body;
  const arith = Array.from(main.querySelectorAll('.arithmatex'));
  const unrendered = arith.filter(a => !a.querySelector('.katex')).map(a => a.textContent.slice(0, 80));
  const errors = Array.from(main.querySelectorAll('.katex-error')).map(e => e.textContent.slice(0, 80));
  const raw = [];
  const skip = 'pre, code, script, style, textarea, .katex, .highlight, .clipboard-copy-txt';
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const pattern = /\\\(|\\\)|\\\[|\\\]|\$\$|\$\\|(?:^|[^\w\\])\$(?!\s)[^$\n]{1,200}?[^\s\\]\$(?!\w)/;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest(skip)) continue;
    const m = n.textContent.match(pattern);
    if (m) raw.push(n.textContent.trim().slice(Math.max(0, m.index - 30), m.index + 50));
  }
  return {arithmatex: arith.length, katex: main.querySelectorAll('.katex').length, unrendered, errors, raw};
}"""

FIGURES_JS = """() => Array.from(document.querySelectorAll('.ag-graph svg, .ag-plot svg'))
  .filter(svg => !svg.parentElement.closest('svg'))
  .map((svg, i) => { svg.setAttribute('data-ag-probe', String(i)); return i; })"""

FIGURE_JS = """(svg) => {
  const r = svg.getBoundingClientRect();
  const style = getComputedStyle(svg);
  const kind = svg.closest('.ag-graph') ? 'graph' : 'plot';
  // The font size a reader sees: the text's font size times the SVG's scale on screen (transforms included).
  const sizes = Array.from(svg.querySelectorAll('text')).map(t => {
    const m = t.getScreenCTM();
    const scale = m ? Math.hypot(m.a, m.b) : 0;
    return parseFloat(getComputedStyle(t).fontSize) * scale;
  });
  let scroller = null;
  for (let n = svg.parentElement; n && n !== document.body; n = n.parentElement) {
    const ox = getComputedStyle(n).overflowX;
    if ((ox === 'auto' || ox === 'scroll') && n.scrollWidth > n.clientWidth) { scroller = n; break; }
  }
  // Whole: the drawing lies inside its frame (the viewer's clipping box), and the frame inside the column.
  const frame = svg.parentElement.getBoundingClientRect();
  const col = (svg.closest('.md-content__inner') || document.body).getBoundingClientRect();
  const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1
    && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  const inCol = frame.left >= col.left - 1 && frame.right <= col.right + 1;
  return {
    kind, width: r.width, height: r.height, natural: svg.width.baseVal.value,
    visible: r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none',
    minFont: sizes.length ? Math.min(...sizes) : null,
    scrolls: scroller !== null,
    whole: inside(r, frame) && inCol,
    viewer: !!svg.closest('.ag-fig') && !!svg.parentElement.closest('.ag-fig').querySelector('.ag-fig-in'),
    overflowsPage: document.documentElement.scrollWidth > window.innerWidth + 1,
    label: (svg.closest('.ag-graph, .ag-plot').getAttribute('aria-label') || svg.getAttribute('aria-label')
            || (svg.querySelector('title') || {}).textContent || '').slice(0, 60),
  };
}"""

MIN_FONT_JS = """(svg) => {
  const sizes = Array.from(svg.querySelectorAll('text')).map(t => {
    const m = t.getScreenCTM();
    return parseFloat(getComputedStyle(t).fontSize) * (m ? Math.hypot(m.a, m.b) : 0);
  });
  return sizes.length ? Math.min(...sizes) : null;
}"""

# WCAG contrast of each graph label against what is behind it: its node's filled shape, or the page.
GRAPH_CONTRAST_JS = """() => {
  const rgb = s => { const m = s && s.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const v = m[1].split(',').map(parseFloat); return v.length > 3 && v[3] === 0 ? null : v.slice(0, 3); };
  const lum = c => { const f = x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const pageBg = el => { for (let n = el; n; n = n.parentElement) { const c = rgb(getComputedStyle(n).backgroundColor);
    if (c) return c; } return [255, 255, 255]; };
  const worst = [];
  for (const svg of document.querySelectorAll('.ag-graph svg')) {
    const paper = svg.querySelector('g.graph > polygon');  // Graphviz's own background, if it paints one
    const bg = (paper && rgb(getComputedStyle(paper).fill)) || pageBg(svg.parentElement);
    for (const t of svg.querySelectorAll('text')) {
      const fg = rgb(getComputedStyle(t).fill);
      if (!fg) continue;
      let back = bg;
      const g = t.closest('g.node, g.cluster');
      if (g) for (const s of g.querySelectorAll('polygon, ellipse, path, rect')) {
        const c = rgb(getComputedStyle(s).fill); if (c) { back = c; break; }
      }
      const r = ratio(fg, back);
      if (r < 4.5) worst.push({text: t.textContent.slice(0, 30), ratio: Math.round(r * 100) / 100});
    }
  }
  return worst;
}"""

NAV_JS = """() => {
  const seen = [];
  for (const a of document.querySelectorAll('nav.md-nav--primary a.md-nav__link[href]')) {
    const u = new URL(a.getAttribute('href'), location.href);
    if (u.origin !== location.origin || a.getAttribute('href').includes('#')) continue;
    if (!seen.includes(u.pathname)) seen.push(u.pathname);
  }
  return seen;
}"""

TITLE_JS = """() => { const h = document.querySelector('article h1');
  return h ? h.textContent.replace('¶', '').trim() : null; }"""
SIDEBAR_JS = """() => {
  const a = document.querySelector('nav.md-nav--primary .md-nav__link--active');
  return a ? a.textContent.trim() : null;
}"""

AXE_JS = """async (opts) => {
  const r = await axe.run(document, opts);
  return r.violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => ({
    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.slice(0, 5).map(n => ({
      target: n.target.join(' '), summary: (n.failureSummary || '').slice(0, 300)})),
    count: v.nodes.length,
  }));
}"""


class Recorder:
    """Everything a page did on the network and the console, while it loaded."""

    def __init__(self, page, origin):
        self.origin = origin
        self.errors, self.failed, self.outside = [], [], []
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        page.on("request", self._request)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} (HTTP {r.status})"))

    def _request(self, r):
        u = urlsplit(r.url)
        if u.scheme in ("data", "blob", "about"):
            return
        if f"{u.scheme}://{u.netloc}" != self.origin:
            self.outside.append(r.url)

    def take(self, tag=""):
        out = {
            "errors": [tag + x for x in self.errors],
            "failed": [tag + x for x in self.failed],
            "outside": [tag + x for x in self.outside],
        }
        self.errors, self.failed, self.outside = [], [], []
        return out


def _origin(url):
    u = urlsplit(url)
    return f"{u.scheme}://{u.netloc}"


def load(page, url):
    """Open a page and wait until its HTML is parsed (enough for links, anchors and the footer)."""
    resp = page.goto(url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    assert resp is not None, f"no response for {url}"
    return resp


SCHEME_JS = "document.body.getAttribute('data-md-color-scheme')"
TOGGLE = 'label.md-header__button[for^="__palette"]:visible'
NO_MOTION_CSS = "*, *::before, *::after { transition: none !important; animation: none !important; }"


def toggle_to(page, scheme):
    """Click the palette toggle until the page shows `scheme` (Material: 'default' or 'slate')."""
    for _ in range(4):
        if page.evaluate(SCHEME_JS) == scheme:
            return
        page.locator(TOGGLE).first.click()
    raise AssertionError(f"the palette toggle never reached the {scheme!r} scheme")


# ---------------------------------------------------------------------------------------------- the crawl


@pytest.fixture(scope="module")
def axe_source():
    src = (AXE_DIR / "axe.min.js").read_bytes()
    assert hashlib.sha256(src).hexdigest() == AXE_SHA256, "tests/vendor/axe-core/axe.min.js changed: see its README"
    return src.decode("utf-8")


CONCURRENCY = 3  # pages open at once: their network waits overlap; 2 cores do the rest


async def _figures(page):
    out = []
    for i in await page.evaluate(FIGURES_JS):
        el = page.locator(f'[data-ag-probe="{i}"]')
        await el.evaluate(REVEAL_JS)
        await el.scroll_into_view_if_needed(timeout=TIMEOUT_MS)
        out.append(await el.evaluate(FIGURE_JS))
    return out


async def _zoom(page, ids):
    """Zoom every figure in with the keyboard ("+" with the figure focused) until its smallest label is
    LEGIBLE_PX or the viewer stops; record that size, then fit it again ("0")."""
    out = []
    for i in ids:
        svg = page.locator(f'[data-ag-probe="{i}"]')
        frame = svg.locator("xpath=..")
        await svg.evaluate(REVEAL_JS)  # a tab set may hold two figures: open this one's tab again
        font = await svg.evaluate(MIN_FONT_JS)
        presses = 0
        if await frame.evaluate("(f) => f.classList.contains('ag-fig-frame')"):
            await frame.scroll_into_view_if_needed(timeout=TIMEOUT_MS)
            await frame.focus()
            while font is not None and font < LEGIBLE_PX and presses < 15:
                await page.keyboard.press("+")
                presses += 1
                font = await svg.evaluate(MIN_FONT_JS)
            await page.keyboard.press("0")
        out.append({"minFont": font, "presses": presses})
    return out


async def _load(page, url):
    """Load a page until the network is quiet, then stop its animations (measurements must not race them)."""
    resp = await page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
    await page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    await page.add_style_tag(content=NO_MOTION_CSS)
    return resp


async def _visit(browser, url, origin, axe):
    """Every check of one page: desktop in light then dark mode, then a phone if the page has diagrams."""
    r = {"status": None, "maths": None, "is_notebook": False, "nav": [], "youtube": [], "figures": [],
         "figures_dark": [], "phone": [], "phone_dark": [], "zoom": [], "zoom_phone": [], "title": None,
         "sidebar": None, "graph_contrast_light": [], "graph_contrast_dark": [], "axe": [], "axe_dark": [],
         "dark": None, "errors": [], "failed": [], "outside": []}
    for step, context in (("desktop", dict(viewport=DESKTOP)),
                          ("phone", dict(viewport=PHONE, is_mobile=True, has_touch=True))):
        if step == "phone" and not r["figures"]:
            break
        ctx = await browser.new_context(color_scheme="light", **context)  # fresh: no stored palette
        page = await ctx.new_page()
        rec = Recorder(page, origin)
        try:
            resp = await _load(page, url)
            if step == "desktop":
                r["status"] = resp.status if resp else None
                r["maths"] = await page.evaluate(MATHS_JS)
                r["is_notebook"] = await page.evaluate("!!document.querySelector('.jupyter-wrapper, .jp-Notebook')")
                r["nav"] = await page.evaluate(NAV_JS)
                r["youtube"] = await page.evaluate(
                    "() => Array.from(document.querySelectorAll('article a[href*=\"youtu\"]')).map(a => a.href)"
                )
                r["title"] = await page.evaluate(TITLE_JS)
                r["sidebar"] = await page.evaluate(SIDEBAR_JS)
                r["figures"] = await _figures(page)
                r["zoom"] = await _zoom(page, await page.evaluate(FIGURES_JS))
                r["graph_contrast_light"] = await page.evaluate(GRAPH_CONTRAST_JS)
                await page.add_script_tag(content=axe)
                r["axe"] = await page.evaluate(AXE_JS, {"resultTypes": ["violations"]})
                for _ in range(4):  # dark mode, by the reader's route: the toggle in the header
                    if await page.evaluate(SCHEME_JS) == "slate":
                        break
                    await page.locator(TOGGLE).first.click()
                r["dark"] = await page.evaluate(SCHEME_JS)
                r["graph_contrast_dark"] = await page.evaluate(GRAPH_CONTRAST_JS)
                r["figures_dark"] = await _figures(page)
                r["axe_dark"] = await page.evaluate(
                    AXE_JS, {"runOnly": ["color-contrast"], "resultTypes": ["violations"]}
                )
            else:  # a phone: figures whole in the column, legible once zoomed, in both palettes
                r["phone"] = await _figures(page)
                r["zoom_phone"] = await _zoom(page, await page.evaluate(FIGURES_JS))
                for _ in range(4):
                    if await page.evaluate(SCHEME_JS) == "slate":
                        break
                    await page.locator(TOGGLE).first.click()
                r["phone_dark"] = await _figures(page)
        except Exception as e:  # noqa: BLE001 - one broken page must not hide the others
            r["errors"].append(f"[{step}] the crawl failed on this page: {type(e).__name__}: {str(e)[:500]}")
        finally:
            for k, v in rec.take("" if step == "desktop" else f"[{step}] ").items():
                r[k] += v
            await ctx.close()
    return r


def _crawl(exe, base_url, paths, axe):
    import asyncio

    from playwright.async_api import async_playwright

    async def main():
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
            sem = asyncio.Semaphore(CONCURRENCY)

            async def one(path):
                async with sem:
                    return path, await _visit(browser, base_url + path, _origin(base_url), axe)

            done = await asyncio.gather(*(one(p) for p in paths))
            await browser.close()
            return dict(done)

    return asyncio.run(main())


@pytest.fixture(scope="module")
def crawl(chromium, site, base_url, axe_source):
    """Visit every page once and record everything the tests below check. Returns {path: record}."""
    from concurrent.futures import ThreadPoolExecutor

    paths = page_paths(site)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(1) as pool:  # its own thread: the async API needs a loop the sync API does not own
        records = pool.submit(_crawl, chromium, base_url, paths, axe_source).result()
    print(f"crawl of {len(records)} pages: {time.perf_counter() - t0:.1f} s")
    return records


def report(problems):
    """A readable failure message: one block per page."""
    lines = []
    for path, items in problems.items():
        lines.append(f"/{path}")
        lines += [f"    {x}" for x in items]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- the tests


def test_every_page_loads_clean(crawl):
    """No console error, no failed request, nothing fetched from outside the site, on any page."""
    problems = {}
    for path, r in crawl.items():
        items = [f"HTTP {r['status']}"] if r["status"] != 200 else []
        items += r["errors"] + [f"failed: {x}" for x in r["failed"]] + [f"outside the site: {x}" for x in r["outside"]]
        if items:
            problems[path] = items
    assert not problems, f"{len(problems)} of {len(crawl)} pages misbehave:\n{report(problems)}"


def test_sitemap_lists_only_real_pages(site, prefix, crawl):
    locs = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    assert locs, "sitemap.xml lists no page"
    missing = [u for u in locs if urlsplit(u).path.removeprefix(prefix) not in crawl]
    assert not missing, f"sitemap.xml lists pages the site does not have: {missing}"


def nav_pages(crawl, prefix):
    nav = crawl[""]["nav"]
    assert nav, "the home page has no navigation links"
    return [p.removeprefix(prefix) for p in nav]


def test_nav_pages_exist(crawl, prefix):
    missing = [p for p in nav_pages(crawl, prefix) if p not in crawl]
    assert not missing, f"the navigation links to pages that were not built: {missing}"


def test_footer_next_walks_the_whole_nav(browser, base_url, prefix, crawl):
    """From the first page, the footer's "next" link visits every page of the nav, in order, then stops."""
    nav = nav_pages(crawl, prefix)
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    resp = load(page, base_url + nav[0])
    walked = []
    while len(walked) <= len(nav):  # a loop in the chain would otherwise never end
        assert resp and resp.status == 200, f"footer 'next' led to {page.url}: HTTP {resp and resp.status}"
        walked.append(urlsplit(page.url).path.removeprefix(prefix))
        nxt = page.locator("a.md-footer__link--next")
        if not nxt.count():
            break
        with page.expect_navigation(wait_until="domcontentloaded", timeout=TIMEOUT_MS) as nav_info:
            nxt.click()  # as a reader does: the link must be visible and clickable
        resp = nav_info.value
    ctx.close()
    assert walked == nav, (
        f"walking 'next' from {nav[0]!r} visited {len(walked)} pages, the nav has {len(nav)}:\n"
        f"  walked: {walked}\n  nav:    {nav}"
    )


def test_master_notes_links_reach_their_targets(browser, base_url, prefix, crawl):
    """Every link in the master notes opens a page of the site, and its #anchor exists there."""
    assert "master-notes/" in crawl, "no master-notes/ page"
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    load(page, base_url + "master-notes/")
    links = page.evaluate("() => Array.from(document.querySelectorAll('article a[href]')).map(a => a.href)")
    targets = {}
    for href in links:
        if _origin(href) != _origin(base_url):
            continue
        doc, frag = urldefrag(href)
        targets.setdefault(doc, set()).add(unquote(frag))
    problems = []
    for doc, frags in sorted(targets.items()):
        resp = load(page, doc)
        if not resp or resp.status != 200:
            problems.append(f"{doc}: HTTP {resp and resp.status}")
            continue
        for frag in sorted(f for f in frags if f):
            if not page.evaluate("(id) => !!document.getElementById(id)", frag):
                problems.append(f"{doc}#{frag}: no element with this id")
    ctx.close()
    linked = {urlsplit(d).path.removeprefix(prefix) for d in targets}
    topics = [p for p in nav_pages(crawl, prefix) if p.startswith("topics/") and p != "topics/"]  # not the overview
    unlinked = [p for p in topics if p not in linked]
    assert not problems, f"{len(problems)} broken links in the master notes:\n  " + "\n  ".join(problems)
    assert not unlinked, f"the master notes link no topic page of these: {unlinked}"
    assert len(targets) > 1, "the master notes link to no other page"


def test_video_links_point_at_the_lecture(crawl):
    """Links to YouTube from the master notes and topic pages open this lecture (at a chapter, with &t=)."""
    bad = {}
    for path, r in crawl.items():
        if not (path == "master-notes/" or path.startswith("topics/")):
            continue
        wrong = [u for u in r["youtube"] if VIDEO_ID not in u or not re.search(r"[?&]t=\d+s?(&|$)|^[^?]*\?v=[^&]+$", u)]
        if wrong:
            bad[path] = wrong
    assert not bad, f"YouTube links that are not the lecture (or a chapter deep link &t=<s>s):\n{report(bad)}"


def test_search_finds_the_topological_sort_page(browser, base_url):
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    load(page, base_url)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("topological", delay=20)
    hit = page.locator('.md-search-result__item a[href*="topics/topological-sort/"]')
    try:
        hit.first.wait_for(state="attached", timeout=TIMEOUT_MS)
    except Exception as err:
        got = page.locator(".md-search-result").inner_text()
        raise AssertionError(f"searching 'topological' did not list topics/topological-sort/; results:\n{got}") from err
    ctx.close()


def test_palette_toggle_switches_to_dark_and_back(browser, base_url):
    """The header toggle turns the slate scheme on, it stays on for the next page, and it turns off again."""
    ctx = browser.new_context(viewport=DESKTOP, color_scheme="light")
    page = ctx.new_page()
    load(page, base_url)
    assert page.evaluate(SCHEME_JS) == "default", f"the site opens in the {page.evaluate(SCHEME_JS)!r} scheme"
    toggle_to(page, "slate")
    load(page, base_url + "master-notes/")
    assert page.evaluate(SCHEME_JS) == "slate", "dark mode did not stay on when opening another page"
    toggle_to(page, "default")
    load(page, base_url)
    assert page.evaluate(SCHEME_JS) == "default", "light mode did not stay on when opening another page"
    ctx.close()


def test_dark_mode_toggle_works_on_every_page(crawl):
    light = [p for p, r in crawl.items() if r["dark"] != "slate"]
    assert not light, f"pages not in the slate scheme after toggling dark mode: {light}"


def test_maths_is_rendered_by_katex(crawl):
    problems = {}
    for path, r in crawl.items():
        m = r["maths"] or {"unrendered": [], "errors": [], "raw": [], "arithmatex": 0, "katex": 0}
        items = [f"not rendered: {x!r}" for x in m["unrendered"]]
        items += [f"KaTeX error: {x!r}" for x in m["errors"]]
        items += [f"raw maths in the text: {x!r}" for x in m["raw"]]
        if items:
            problems[path] = items
    maths_pages = [p for p, r in crawl.items() if r["maths"] and r["maths"]["arithmatex"]]
    assert not problems, f"maths that KaTeX did not render:\n{report(problems)}"
    assert maths_pages, "no page has any maths (pymdownx.arithmatex spans): is arithmatex enabled?"
    assert all(crawl[p]["maths"]["katex"] for p in maths_pages)


def all_figures(crawl, key="figures"):
    return [(p, f) for p, r in crawl.items() for f in r.get(key, [])]


def test_diagrams_and_plots_are_visible(crawl):
    figures = all_figures(crawl)
    bad = {}
    for path, f in figures:
        if not f["visible"] or f["width"] < 1 or f["height"] < 1:
            bad.setdefault(path, []).append(f"{f['kind']} {f['label']!r}: {f['width']:.0f}x{f['height']:.0f} px")
    assert not bad, f"diagrams that do not show:\n{report(bad)}"
    assert any(f["kind"] == "graph" for _, f in figures), "no page has a graph (.ag-graph svg)"


FIGURE_PASSES = (("figures", "1280 px, light"), ("figures_dark", "1280 px, dark"),
                 ("phone", "390 px, light"), ("phone_dark", "390 px, dark"))


def test_figures_are_whole_in_their_column(crawl):
    """As first shown, every graph and plot is whole (nothing cropped, no sideways scrolling) inside the
    column, at 390 and 1280 px, in both palettes; and each has the viewer's zoom controls."""
    bad = {}
    for key, where in FIGURE_PASSES:
        for path, f in all_figures(crawl, key):
            items = []
            if not f["whole"]:
                items.append(f"cropped: {f['width']:.0f} px wide")
            if f["scrolls"]:
                items.append("scrolls sideways")
            if f["overflowsPage"]:
                items.append("makes the page wider than the screen")
            if not f["viewer"]:
                items.append("has no zoom controls (figure viewer)")
            if items:
                bad.setdefault(path, []).append(f"[{where}] {f['kind']} {f['label']!r}: " + "; ".join(items))
    assert not bad, f"figures not whole in their column:\n{report(bad)}"
    assert all_figures(crawl, "phone"), "no figure was measured on a phone"
    assert all_figures(crawl, "phone_dark"), "no figure was measured on a phone in dark mode"


def test_zoom_brings_every_label_to_a_legible_size(crawl):
    """With the figure focused, "+" zooms in until the smallest label is LEGIBLE_PX, at both widths."""
    bad = {}
    for key, where in (("zoom", "1280 px"), ("zoom_phone", "390 px")):
        for path, r in crawl.items():
            for z, f in zip(r[key], r["figures" if key == "zoom" else "phone"]):
                if z["minFont"] is not None and z["minFont"] < LEGIBLE_PX:
                    bad.setdefault(path, []).append(
                        f"[{where}] {f['kind']} {f['label']!r}: labels {z['minFont']:.1f} px after "
                        f"{z['presses']} presses of +")
    assert not bad, f"figures whose labels stay too small when zoomed:\n{report(bad)}"
    assert any(z["presses"] for _, z in all_figures(crawl, "zoom_phone")), "no figure needed zooming on a phone"


def test_graph_labels_contrast_in_light_and_dark(crawl):
    bad = {}
    for path, r in crawl.items():
        for scheme in ("light", "dark"):
            for w in r[f"graph_contrast_{scheme}"]:
                bad.setdefault(path, []).append(f"[{scheme}] {w['text']!r}: contrast {w['ratio']} < 4.5")
    assert not bad, f"graph labels hard to read:\n{report(bad)}"


def test_notebook_download_gives_a_valid_notebook(browser, base_url, prefix, crawl):
    import nbformat

    notebooks = [p for p in nav_pages(crawl, prefix) if crawl.get(p, {}).get("is_notebook")]
    if not notebooks:
        pytest.skip("no notebook page in the nav yet (docs/notebooks/*.ipynb)")
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    problems = []
    for path in notebooks:
        load(page, base_url + path)
        hrefs = page.evaluate(
            "() => Array.from(document.querySelectorAll('a[href$=\".ipynb\"]')).map(a => a.getAttribute('href'))"
        )
        if not hrefs:
            problems.append(f"{path}: no download link to an .ipynb")
            continue
        for href in sorted(set(hrefs)):
            url = urljoin(page.url, href)
            if not url.startswith(base_url):
                problems.append(f"{path}: download link {href!r} leaves the site ({url})")
                continue
            resp = page.request.get(url)
            if resp.status != 200:
                problems.append(f"{path}: {href} -> HTTP {resp.status}")
                continue
            try:
                nb = nbformat.reads(resp.text(), as_version=4)
                nbformat.validate(nb)
            except Exception as e:  # noqa: BLE001 - the message is the report
                problems.append(f"{path}: {href} is not a valid notebook: {e}")
                continue
            if not nb.cells:
                problems.append(f"{path}: {href} has no cells")
    ctx.close()
    assert not problems, "notebook downloads:\n  " + "\n  ".join(problems)


def _axe_report(crawl, key):
    bad = {}
    for path, r in crawl.items():
        for v in r[key]:
            lines = [f"{v['impact']} {v['id']}: {v['help']} ({v['count']} elements) {v['url']}"]
            lines += [f"    {n['target']}: {n['summary']}".replace("\n", " | ") for n in v["nodes"]]
            bad.setdefault(path, []).extend(lines)
    return bad


def test_accessibility_axe(crawl):
    bad = _axe_report(crawl, "axe")
    assert not bad, f"axe-core: serious or critical violations:\n{report(bad)}"


def test_accessibility_colour_contrast_in_dark_mode(crawl):
    bad = _axe_report(crawl, "axe_dark")
    assert not bad, f"axe-core (dark mode, color-contrast): serious or critical violations:\n{report(bad)}"


# ---------------------------------------------------------------------------------------------- reader's tools


def _context(browser, phone=False, scheme="light"):
    if phone:
        return browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, color_scheme=scheme)
    return browser.new_context(viewport=DESKTOP, color_scheme=scheme)


@pytest.fixture
def watched(browser, base_url):
    """A fresh page whose requests are recorded: the tests below also check that nothing leaves the site."""
    made = []

    def open_page(phone=False, scheme="light"):
        ctx = _context(browser, phone, scheme)
        page = ctx.new_page()
        page.recorder = Recorder(page, _origin(base_url))
        made.append((ctx, page))
        return page

    yield open_page
    problems = []
    for ctx, page in made:
        took = page.recorder.take()
        problems += took["errors"] + [f"outside the site: {u}" for u in took["outside"]]
        ctx.close()
    assert not problems, "while testing:\n  " + "\n  ".join(problems)


# Scan a zoomed figure with the arrow keys, row by row; collect the labels that were, at some point, wholly
# inside the frame and at least `px` tall on screen. Returns [seen, all]. (Synthetic key events reach the
# viewer's own listener, which is all this drives.)
SCAN_JS = """(frame, px) => {
  const svg = frame.querySelector(':scope > svg');
  const key = k => frame.dispatchEvent(new KeyboardEvent('keydown', {key: k, bubbles: true}));
  const texts = Array.from(svg.querySelectorAll('g.node text'));
  const seen = new Set();
  const look = () => {
    const f = frame.getBoundingClientRect();
    texts.forEach((t, i) => {
      const r = t.getBoundingClientRect(), m = t.getScreenCTM();
      const size = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      if (size >= px && r.left >= f.left && r.right <= f.right && r.top >= f.top && r.bottom <= f.bottom) seen.add(i);
    });
  };
  const pos = () => svg.style.transform;
  for (const k of ['ArrowLeft', 'ArrowUp']) {  // start at the top left corner
    for (let i = 0; i < 400; i++) { const before = pos(); key(k); if (pos() === before) break; }
  }
  for (let row = 0; row < 200; row++) {
    for (let i = 0; i < 400; i++) { look(); const before = pos(); key(row % 2 ? 'ArrowLeft' : 'ArrowRight');
      if (pos() === before) break; }
    look();
    const before = pos(); key('ArrowDown'); if (pos() === before) break;
  }
  return [seen.size, texts.length];
}"""


def test_widest_graph_can_be_read_node_by_node_on_a_phone(watched, base_url, crawl):
    """The widest graph of the site, on a 390-px phone: zoomed in with the "+" button and moved with the
    arrow keys, every label of every node comes into the frame at LEGIBLE_PX or more."""
    graphs = [(f["natural"], p) for p, f in all_figures(crawl) if f["kind"] == "graph"]
    assert graphs, "no graph on the site"
    natural, path = max(graphs)
    page = watched(phone=True)
    page.goto(base_url + path, wait_until="networkidle")
    index = page.evaluate(
        """(w) => Array.from(document.querySelectorAll('.ag-fig-frame.ag-graph'))
             .findIndex(f => Math.abs(f.querySelector(':scope > svg').width.baseVal.value - w) < 0.5)""",
        natural,
    )
    assert index >= 0, f"{path}: the widest graph ({natural:.0f} px) has no viewer"
    fig = page.locator(".ag-fig").filter(has=page.locator(".ag-fig-frame.ag-graph")).nth(index)
    fig.evaluate(REVEAL_JS)
    fig.scroll_into_view_if_needed()
    zoom_in = fig.locator(".ag-fig-in")
    for _ in range(20):
        if zoom_in.is_disabled():
            break
        zoom_in.click()
    frame = fig.locator(".ag-fig-frame")
    seen, total = frame.evaluate(SCAN_JS, LEGIBLE_PX)
    assert total > 0 and seen == total, (
        f"{path}: the widest graph ({natural:.0f} px): only {seen} of its {total} labels could be brought "
        f"into view at {LEGIBLE_PX} px on a phone")
    frame.focus()
    page.keyboard.press("0")
    assert frame.get_attribute("data-ag-scale") == "1.000", "0 does not fit the figure again"


# Tab sets with a figure whose selected tab is "Code" (the figure hidden behind its code).
CODE_TABS_SHOWN_JS = """() => Array.from(document.querySelectorAll('.tabbed-set'))
  .filter(set => set.querySelector('.ag-graph, .ag-plot'))
  .filter(set => {
    const inputs = Array.from(set.querySelectorAll(':scope > input'));
    const labels = Array.from(set.querySelectorAll(':scope > .tabbed-labels > label'));
    const i = inputs.findIndex(x => x.checked);
    return i >= 0 && labels[i] && labels[i].textContent.trim() === 'Code';
  }).length"""

VISIBLE_FIGURES_JS = """() => Array.from(document.querySelectorAll('.ag-graph > svg, .ag-plot > svg'))
  .map(s => { const r = s.getBoundingClientRect(); return r.width > 0 && r.height > 0; })"""


def test_a_code_tab_hides_no_other_figure(watched, base_url, crawl):
    """Clicking "Code" on one figure switches that tab set only: every other figure on the page, and every
    figure on the other pages, still shows as the page opens (each set opens on its figure)."""
    tabbed = [p for p in crawl if p.startswith(("topics/", "reference/"))]
    page = watched()
    page.goto(base_url + "topics/chain-rule/", wait_until="networkidle")
    labels = page.locator(".tabbed-set .tabbed-labels > label", has_text="Code")
    assert labels.count(), "topics/chain-rule/ has no Code tab any more: pick another page for this test"
    before = page.evaluate(VISIBLE_FIGURES_JS)
    labels.first.click()
    after = page.evaluate(VISIBLE_FIGURES_JS)
    assert sum(after) == sum(before) - 1, (
        f"one Code tab changed the figures shown on its page from {sum(before)} to {sum(after)} (expected one fewer)")
    hidden = {}
    for path in tabbed:
        page.goto(base_url + path, wait_until="networkidle")
        n = page.evaluate(CODE_TABS_SHOWN_JS)
        if n:
            hidden[path] = [f"{n} tab sets with a figure open on their Code tab"]
    assert not hidden, f"after one click on a Code tab, figures hidden elsewhere:\n{report(hidden)}"


def _lecture_expression():
    """L = (a*b + c)*f, from the same snippet the chain-rule page includes, and its gradients by backward()."""
    import runpy

    return runpy.run_path(str(Path(__file__).parents[1] / "docs" / "snippets" / "value_lecture_expression.py"))["L"]


def test_stepper_walks_the_chain_rule_graph_to_the_end(watched, base_url):
    """One press of the right arrow per node, in the order backward() visits them; at the end every box shows
    the gradient backward() computes here (the package run by this test, not the page's own numbers)."""
    from autograd_notes.engine import topological_order

    L = _lecture_expression()
    L.backward()
    order = [v.label for v in reversed(topological_order(L))]
    want = {v.label: f"grad {v.grad:.4f}" for v in topological_order(L)}

    page = watched()
    page.goto(base_url + "topics/chain-rule/", wait_until="networkidle")
    stepper = page.locator(".ag-stepper")
    assert stepper.count() == 1, "topics/chain-rule/ should have one backprop stepper"
    boxes = "() => Array.from(document.querySelectorAll('.ag-stepper g[data-ag-node]')).map(g => ({" \
            "label: g.querySelector('text').textContent, grad: g.querySelector('[data-ag-grad]').textContent, " \
            "current: g.classList.contains('ag-step-current')}))"
    start = page.evaluate(boxes)
    assert start and all(b["grad"] == "grad ?" for b in start), f"before the first step, gradients show: {start}"
    stepper.locator(".ag-stepper-next").focus()
    visited, lines = [], []
    for _ in range(len(order) + 3):
        page.keyboard.press("ArrowRight")
        now = page.evaluate(boxes)
        current = [b["label"] for b in now if b["current"]]
        if current and (not visited or current[0] != visited[-1]):
            visited.append(current[0])
            lines.append(stepper.locator(".ag-stepper-line").inner_text())
    end = {b["label"]: b["grad"] for b in page.evaluate(boxes)}
    assert visited == order, f"the stepper visits {visited}; backward() visits {order}"
    assert end == want, f"after the last step the graph shows {end}; backward() gives {want}"
    assert stepper.get_attribute("data-ag-step") == str(len(order))
    assert stepper.locator(".ag-stepper-next").is_disabled(), "Next is still enabled after the last node"
    # The chain-rule line of the step for e: upstream (dL/dd) times local (dd/de = 1) = dL/de.
    by_label = {v.label: v for v in topological_order(L)}
    e, d = by_label["e"], by_label["d"]
    line = lines[order.index("e")]
    assert f"{d.grad:.4f} × 1.0000 = {e.grad:.4f}" in line, f"the step for e says {line!r}"
    page.keyboard.press("Home")
    assert stepper.get_attribute("data-ag-step") == "0", "Home does not go back to the start"


def test_progress_ticks_survive_a_reload(watched, base_url):
    """Tick a topic on its page and a chapter on the master notes, by keyboard; after a reload both are still
    ticked, and the master notes mark the topic's link as done."""
    page = watched()
    page.goto(base_url + "topics/chain-rule/", wait_until="networkidle")
    tick = page.locator(".ag-done-toggle")
    assert tick.count() == 1, "a topic page should have one 'Mark as done' toggle"
    tick.focus()
    page.keyboard.press("Enter")
    assert tick.get_attribute("aria-pressed") == "true"
    page.goto(base_url + "master-notes/", wait_until="networkidle")
    chapter = page.locator('.ag-done-toggle[data-ag-done$="#ch06"]')
    assert chapter.count() == 1, "the master notes have no toggle for chapter 6"
    chapter.focus()
    page.keyboard.press("Space")
    page.reload(wait_until="networkidle")
    assert page.locator('.ag-done-toggle[data-ag-done$="#ch06"]').get_attribute("aria-pressed") == "true"
    assert page.locator('h2#ch06').evaluate("h => h.classList.contains('ag-done-chapter')")
    done_links = page.locator('article a.ag-done-link[href*="topics/chain-rule/"]')
    assert done_links.count() >= 1, "the master notes do not mark the ticked topic's links as done"
    summary = page.locator(".ag-progress-summary").inner_text()
    assert "1 of 22 chapters" in summary and "1 topic" in summary, summary
    page.goto(base_url + "topics/chain-rule/", wait_until="networkidle")
    assert page.locator(".ag-done-toggle").get_attribute("aria-pressed") == "true", "the tick did not survive"
    page.locator(".ag-done-toggle").click()
    page.reload(wait_until="networkidle")
    assert page.locator(".ag-done-toggle").get_attribute("aria-pressed") == "false", "un-ticking did not stick"


def test_full_screen_opens_and_closes(watched, base_url):
    page = watched(phone=True, scheme="dark")
    page.goto(base_url + "topics/neuron-backprop/", wait_until="networkidle")
    fig = page.locator(".ag-fig").first
    fig.scroll_into_view_if_needed()
    fig.locator(".ag-fig-full").click()
    full = page.locator(".ag-fig--full")
    assert full.count() == 1
    box = full.bounding_box()
    assert box["width"] >= PHONE["width"] - 1 and box["height"] >= PHONE["height"] - 1, f"full screen is {box}"
    page.keyboard.press("Escape")
    assert page.locator(".ag-fig--full").count() == 0, "Escape does not leave full screen"
    assert page.locator("article .ag-fig").count() >= 1, "the figure did not go back into the page"


# ---------------------------------------------------------------------------------------------- navigation


def test_sidebar_names_are_the_page_titles(crawl):
    """The sidebar names each page by its title (its H1): the nav in mkdocs.yml gives no names of its own."""
    bad = {p: [f"sidebar {r['sidebar']!r}, title {r['title']!r}"] for p, r in crawl.items()
           if r["title"] and r["sidebar"] and r["sidebar"] != r["title"]}
    assert not bad, f"sidebar names that differ from the page title:\n{report(bad)}"


def test_back_links_return_to_the_chapter(site):
    """Each topic page's "Back to the master notes" link goes to the chapter that links the page."""
    master = (site / "master-notes" / "index.html").read_text(encoding="utf-8")
    sections = dict(re.findall(r'<h2 id="(ch\d+)">(.*?)(?=<h2 id="ch\d+">|</article>)', master, re.DOTALL))
    assert len(sections) == 22, f"the master notes should have 22 chapter sections with ids, found {len(sections)}"
    bad, checked = [], []
    pages = sorted((site / "topics").glob("*/index.html"))
    for p in pages:
        html = p.read_text(encoding="utf-8")
        back = re.findall(r'<a href="\.\./\.\./master-notes/(#[^"]*)?">Back to the master notes</a>', html)
        if not back:
            continue
        name = p.parent.name
        checked.append(name)
        if not back[0]:
            bad.append(f"topics/{name}/: the back link has no chapter anchor")
        elif f"topics/{name}/" not in sections.get(back[0][1:], ""):
            bad.append(f"topics/{name}/: back link to {back[0]}, which does not link the page")
    assert not bad, "\n".join(bad)
    assert checked, "no topic page has a 'Back to the master notes' link any more"


def test_video_links_open_in_a_new_tab(site):
    bad = []
    for p in sorted(site.rglob("index.html")):
        for a in re.findall(r'<a [^>]*href="https://(?:www\.youtube\.com|youtu\.be)/[^"]*"[^>]*>.*?</a>',
                            p.read_text(encoding="utf-8"), re.DOTALL):
            if 'target="_blank"' not in a or 'rel="noopener"' not in a or "opens in a new tab" not in a:
                bad.append(f"{p.relative_to(site)}: {a[:160]}")
    assert not bad, "video links that do not open a new tab (or do not say so):\n" + "\n".join(bad[:20])


def test_topics_overview_lists_every_topic_with_its_chapters(site, crawl, prefix):
    """The Topics overview has one line per topic page, in nav order, each with its chapter links."""
    html = (site / "topics" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    listed = re.findall(r'<li><strong><a href="([^"#]+)">', article)
    nav = [p.removeprefix("topics/") for p in nav_pages(crawl, prefix) if p.startswith("topics/") and p != "topics/"]
    assert listed == nav, f"the overview lists {listed}; the nav has {nav}"
    items = re.findall(r"<li>(.*?)</li>", article, re.DOTALL)
    no_chapter = [i[:80] for i in items if "master-notes/#ch" not in i]
    assert not no_chapter, f"overview lines without a chapter: {no_chapter}"


# The main figure of each topic page within the first screen at 1280x800, and unique page titles.


def test_main_figure_within_the_first_screen(watched, base_url, crawl):
    late = {}
    page = watched()
    for path in sorted(p for p in crawl if p.startswith("topics/") and p != "topics/"):
        page.goto(base_url + path, wait_until="networkidle")
        top = page.evaluate("""() => {
          const s = document.querySelector('article .ag-graph > svg, article .ag-plot > svg');
          return s ? s.getBoundingClientRect().top + window.scrollY : null; }""")
        if top is None or top >= DESKTOP["height"]:
            late[path] = [f"first figure at {top} px" if top is not None else "no figure"]
    assert not late, f"topic pages whose main figure is below the first screen at 1280x800:\n{report(late)}"


def test_page_titles_are_unique(crawl):
    titles = {}
    for path, r in crawl.items():
        if r["title"] and path != "404.html":
            titles.setdefault(r["title"], []).append(path)
    dup = {t: ps for t, ps in titles.items() if len(ps) > 1}
    assert not dup, f"pages sharing a title: {dup}"


TRANSFORM_JS = """(f) => { const m = new DOMMatrix(getComputedStyle(f.querySelector(':scope > svg')).transform);
  return [m.a, m.e, m.f]; }"""


def test_mouse_drag_pans_and_ctrl_wheel_zooms(watched, base_url):
    page = watched()
    page.goto(base_url + "topics/neuron-backprop/", wait_until="networkidle")
    fig = page.locator(".ag-fig").first
    fig.scroll_into_view_if_needed()
    frame = fig.locator(".ag-fig-frame")
    box = frame.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -100)
    page.keyboard.up("Control")
    scale, x0, _ = frame.evaluate(TRANSFORM_JS)
    assert scale > 1, "Ctrl + wheel did not zoom in"
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx + 60, cy, steps=4)
    page.mouse.up()
    _, x1, _ = frame.evaluate(TRANSFORM_JS)
    assert abs((x1 - x0) - 60) < 1, f"dragging 60 px moved the figure by {x1 - x0:.1f} px"
    page.mouse.move(cx, cy)
    page.mouse.wheel(0, 100)  # without Ctrl the wheel scrolls the page, it does not zoom
    assert frame.evaluate(TRANSFORM_JS)[0] == scale


def test_two_finger_pinch_zooms_on_a_phone(watched, base_url):
    page = watched(phone=True)
    page.goto(base_url + "topics/neuron-backprop/", wait_until="networkidle")
    fig = page.locator(".ag-fig").first
    fig.scroll_into_view_if_needed()
    frame = fig.locator(".ag-fig-frame")
    b = frame.bounding_box()
    cx, cy = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
    cdp = page.context.new_cdp_session(page)

    def touch(kind, d):
        points = [] if kind == "touchEnd" else [{"x": cx - d, "y": cy, "id": 1}, {"x": cx + d, "y": cy, "id": 2}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", 20)
    for d in (30, 45, 60, 80):
        touch("touchMove", d)
    touch("touchEnd", 0)
    scale = frame.evaluate(TRANSFORM_JS)[0]
    assert scale > 2, f"pinching from 40 to 160 px apart zoomed to {scale:.2f}x (expected about 4x)"
