"""How fast the pages' code runs in the reader's browser (Pyodide in a Web Worker, docs/assets/js/run.js).

    .venv/bin/python benchmarks/bench_browser.py                 # builds the site into a temp dir first
    .venv/bin/python benchmarks/bench_browser.py --site site/    # a site built before (it may be stale)

The site is served on 127.0.0.1 under the sub-path of its site_url, with the headers GitHub Pages sends
(`Cache-Control: max-age=600`, the types of .mjs and .wasm), to Debian's chromium (Playwright). Figures:
  first Run, cold    a new browser profile: the click on the home page's first block until its output is back
                     (Pyodide, viz-js and the wheels are fetched, Python starts, the block runs)
  first Run, warm    the same in a new tab of that profile: the runtime comes from the browser's cache
  a later run        the same block again, Python already up
  moons demo         topics/micrograd-demo's first block, run a second time: 100 steps of MLP(2, [16, 16, 1])
                     on 100 points, and its plot; beside it, the same code run by this CPython
  bytes              fetched by the first Run (raw, and gzipped as a server would send them)
  page weight        what a page carries for running before any Run (run.js, run.css, the blocks' attributes)
  blocks             how many executed blocks and notebook cells have a Run button, out of how many
"""

import argparse
import collections
import functools
import gzip
import html
import http.server
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
RUN_MS = 180_000
WAIT_JS = "(b) => b.querySelector('[data-state]') && !b.querySelector('.ag-run-button').disabled"
BLOCK = re.compile(r'<div class="(?:[^"]* )?ag-run"[^>]*>')
SERVED = []  # paths requested from the server, in order
ADDED = re.compile(r'<div class="jp-Cell jp-CodeCell[^"]*( ag-run)" id="[^"]*"([^>]*)>')


def build(site):
    print(f"building the site into {site} ...", flush=True)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=ROOT, check=True)
    print(f"  built in {time.perf_counter() - t0:.1f} s\n")


class Handler(http.server.SimpleHTTPRequestHandler):
    """The site under `prefix`, with GitHub Pages' caching header."""

    prefix = "/"
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".wasm": "application/wasm"}

    def translate_path(self, path):
        p = urlsplit(path).path
        return super().translate_path("/" + p[len(self.prefix):] if p.startswith(self.prefix) else "/_nothing_")

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        SERVED.append(urlsplit(self.path).path)  # what reached the server (a file from the browser's cache does not)
        return super().send_head()

    def log_message(self, *args):
        pass


def serve(site):
    text = (site / "sitemap.xml").read_text(encoding="utf-8") if (site / "sitemap.xml").exists() else ""
    m = re.search(r"<loc>(https?://[^<]+)</loc>", text)
    prefix = urlsplit(m.group(1)).path if m else "/"  # the first page listed is the home page: site_url
    handler = functools.partial(type("H", (Handler,), {"prefix": prefix}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


class Fetched:
    """The site's files a page fetched, with their sizes on disk (raw) and gzipped."""

    def __init__(self, page, base, site):
        self.base, self.site, self.paths = base, site, []
        page.on("requestfinished", lambda r: self.paths.append(r.url.split("?")[0].removeprefix(base)))

    def sizes(self, since=0):
        raw = gz = 0
        for p in self.paths[since:]:
            f = self.site / (p + "index.html" if p.endswith("/") or not p else p)
            if f.is_file():
                data = f.read_bytes()
                raw, gz = raw + len(data), gz + len(gzip.compress(data, 6))
        return raw, gz


def click_run(page, block):
    block.evaluate("(b) => { for (let e = b; e; e = e.parentElement) if (e.tagName === 'DETAILS') e.open = true; }")
    t0 = time.perf_counter()
    block.get_by_role("button", name=re.compile("^Run")).click()
    page.wait_for_function(WAIT_JS, arg=block.element_handle(), timeout=RUN_MS)
    ms = (time.perf_counter() - t0) * 1000
    state = block.locator("[data-state]").first.get_attribute("data-state")
    if state != "ok":
        sys.exit(f"the block failed in the browser: {block.locator('.ag-run-error').first.inner_text()[-800:]}")
    page.evaluate("(b) => b.querySelector('[data-state]').removeAttribute('data-state')", block.element_handle())
    return ms


def first_block(page):
    return page.locator("div.ag-run:not([data-why])").first


def cpython_ms(code, repeat):
    times = []
    for _ in range(repeat):
        ns = {"print": lambda *a, **k: None, "__name__": "bench"}
        t0 = time.perf_counter()
        exec(compile(code, "<moons>", "exec"), ns)  # noqa: S102 - the page's own block, as the browser ran it
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def page_weight(site):
    """{page: bytes a page carries for running before any Run}."""
    base = sum((site / "assets" / f).stat().st_size for f in ("js/run.js", "css/run.css"))
    out = {}
    for p in site.rglob("index.html"):
        html = p.read_text(encoding="utf-8")
        tags = re.findall(r'<div class="ag-run"[^>]*>|<script[^>]*id="ag-run-config".*?</script>', html, re.S)
        added = sum(len(m.encode()) for m in tags)
        added += sum(len((a + b).encode()) for a, b in ADDED.findall(html))
        if added:
            out[p.parent.relative_to(site).as_posix() + "/"] = base + added
    return out


def block_counts(site):
    md = cells = md_run = cells_run = 0
    why = collections.Counter()
    for p in site.rglob("index.html"):
        for tag in BLOCK.findall(p.read_text(encoding="utf-8")):
            m = re.search(r'data-why="([^".]*)', tag)
            if m:
                why[html.unescape(m.group(1))] += 1
            cell = "jp-CodeCell" in tag
            runs = "data-why=" not in tag
            md, cells = md + (not cell), cells + cell
            md_run, cells_run = md_run + (runs and not cell), cells_run + (runs and cell)
    return md_run, md, cells_run, cells, why


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", type=Path, help="a built site (default: build one into a temp dir)")
    ap.add_argument("--repeat", type=int, default=3, help="later runs timed, median shown (default 3)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = None
    site = args.site
    if site is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-browser-")
        site = Path(tmp.name) / "site"
        build(site)
    server, base = serve(site.resolve())
    with sync_playwright() as p:
        profile = tempfile.TemporaryDirectory(prefix="bench-browser-profile-")  # a new profile: an empty disk cache
        ctx = p.chromium.launch_persistent_context(profile.name, executable_path="/usr/bin/chromium",
                                                   args=CHROMIUM_ARGS, headless=True,
                                                   viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        fetched = Fetched(page, base, site)
        page.goto(base, wait_until="load")
        page.wait_for_timeout(300)
        before = len(fetched.paths)
        cold = click_run(page, first_block(page))
        raw, gz = fetched.sizes(before)
        later = statistics.median(click_run(page, first_block(page)) for _ in range(args.repeat))
        page.close()
        page = ctx.new_page()  # same profile: the runtime is in the browser's cache now
        fetched = Fetched(page, base, site)
        page.goto(base, wait_until="load")
        page.wait_for_timeout(300)
        before, served = len(fetched.paths), len(SERVED)
        warm = click_run(page, first_block(page))
        warm_files, warm_served = len(fetched.paths) - before, len(SERVED) - served
        page.goto(base + "topics/micrograd-demo/", wait_until="load")
        demo = first_block(page)
        click_run(page, demo)  # starts Python, trains once
        moons = statistics.median(click_run(page, demo) for _ in range(args.repeat))
        code = demo.evaluate("(b) => b.agCode()")
        ctx.close()
        profile.cleanup()
    server.shutdown()
    cpython = cpython_ms(code, args.repeat)
    weights = page_weight(site)
    md_run, md, cells_run, cells, why = block_counts(site)

    rows = [
        ("first Run, cold cache", f"{cold / 1000:.2f} s", f"{raw / 1e6:.1f} MB fetched ({gz / 1e6:.1f} MB gzipped)"),
        ("first Run, warm cache", f"{warm / 1000:.2f} s",
         f"{warm_files - warm_served} of {warm_files} files from the browser's cache, none from the server"
         if not warm_served else f"{warm_served} of {warm_files} files from the server again"),
        ("a later run", f"{later:.0f} ms", "the same block, Python up"),
        ("moons demo, 100 steps", f"{moons / 1000:.2f} s", f"CPython {cpython / 1000:.2f} s: "
                                                             f"{moons / cpython:.1f}x in the browser"),
        ("page weight before a Run", f"{max(weights.values()) / 1000:.1f} KB",
         f"most, of {len(weights)} pages (median {statistics.median(weights.values()) / 1000:.1f} KB; budget 15 KB)"),
        ("runnable in the page", f"{md_run + cells_run} of {md + cells}",
         f"{md_run}/{md} executed blocks, {cells_run}/{cells} notebook cells"),
    ]
    rows += [("  not runnable", str(n), reason) for reason, n in why.most_common()]
    w = max(len(r[0]) for r in rows)
    print(f"{'':{w}}  figure    detail")
    for name, fig, detail in rows:
        print(f"{name:{w}}  {fig:>8}  {detail}")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
