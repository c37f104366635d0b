"""How long the site takes to build, and how long `mkdocs serve` takes to show an edit.

    .venv/bin/python benchmarks/bench_build.py            # the three figures, with where the time goes
    .venv/bin/python benchmarks/bench_build.py --page topics/mlp.md

Everything runs in a private copy of the tree (in a temp dir), so the working tree and its caches are
never touched. Figures:
  clean build   no cache at all (a fresh clone, or CI)                          target <= 20 s
  no-exec build the same site with nothing executed (blocks print nothing, notebooks are not run), in a
                second copy: what the build costs without our code; the clean build is shown as a ratio of it
  warm rebuild  the same build again: the block and notebook caches are full    target <= 3 s
  serve refresh `mkdocs serve --no-strict` (as `make serve`) running; a page is edited; time until the
                served HTML shows the edit                                      target <= 2 s
For each build, a timing hook added to the copy's mkdocs.yml splits the time into start-up (imports and
plugins), pages (the slowest listed) and the rest. Run it through `make bench`, which gives the build
PyTorch (.venv-torch), as `make serve` does.
"""

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"clean build": 20.0, "no-exec build": None, "warm rebuild": 3.0, "serve refresh": 2.0}
IGNORE = shutil.ignore_patterns(
    ".git", ".venv*", "site", ".cache", "__pycache__", ".pytest_cache", ".hypothesis", "*.egg-info",
    "node_modules", ".ipynb_checkpoints", "dist", "build",
)

# A hook, written into the copy only: when each phase of a build starts and ends, per page.
TIMING_HOOK = '''
import json, os, time
from mkdocs.plugins import event_priority

OUT = os.environ.get("BENCH_TIMING")
T = {"pages": {}}
_start = {}

def _save():
    if OUT:
        with open(OUT, "w") as f:
            json.dump(T, f)

@event_priority(100)
def on_config(config, **kw):
    T.setdefault("config", time.time())

@event_priority(100)
def on_pre_build(config, **kw):
    T["pages"] = {}
    T["pre_build"] = time.time()

@event_priority(100)
def on_pre_page(page, config, files, **kw):
    _start[page.file.src_uri] = time.time()

@event_priority(-100)
def on_page_content(html, page, config, files, **kw):  # one page read, its blocks run, converted
    T["pages"][page.file.src_uri] = time.time() - _start.pop(page.file.src_uri, time.time())

@event_priority(-100)
def on_post_build(config, **kw):
    T["post_build"] = time.time()
    _save()
'''


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# For the no-exec build only: every markdown-exec block prints nothing (its code is not run).
# The notebooks (run by hooks/notebooks.py through nbclient) are read as written, with no kernel started.
NO_EXEC_HOOK = '''
from markdown_exec._internal.formatters import pycon, python
from nbclient import NotebookClient

def on_config(config, **kw):
    python._run_python = pycon._run_python = lambda code, **kw: ""
    NotebookClient.execute = lambda self, **kw: self.nb
'''


def prepare(tmp, name="tree", execute=True):
    tree = Path(tmp) / name
    shutil.copytree(ROOT, tree, ignore=IGNORE)
    (tree / "hooks" / "_bench_timing.py").write_text(TIMING_HOOK)
    cfg = tree / "mkdocs.yml"
    text = cfg.read_text()
    # appended as the first hook, so that its priorities frame the project's own hooks and plugins
    text = text.replace("\nhooks:\n", "\nhooks:\n  - hooks/_bench_timing.py\n", 1)
    assert "_bench_timing" in text, "mkdocs.yml has no `hooks:` list to add the timing hook to"
    if not execute:
        (tree / "hooks" / "_bench_no_exec.py").write_text(NO_EXEC_HOOK)
        text = text.replace("  - hooks/exec_cache.py", "  - hooks/_bench_no_exec.py", 1)
        assert "_bench_no_exec" in text, "mkdocs.yml: no exec_cache hook to replace"
    cfg.write_text(text)
    return tree


def env_for(tree, timing):
    return dict(
        os.environ,
        NO_MKDOCS_2_WARNING="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(tree / "src"), os.environ.get("PYTHONPATH")])),
        BENCH_TIMING=str(timing),
    )


def timed_build(tree, out, label, strict=True):
    timing = tree.parent / f"timing-{label.replace(' ', '-')}.json"
    cpu0 = _children_cpu()
    t0 = time.time()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict" if strict else "--no-strict", "-d", str(out)],
        cwd=tree, env=env_for(tree, timing), capture_output=True, text=True,
    )
    wall = time.time() - t0
    cpu = _children_cpu() - cpu0
    if proc.returncode != 0:
        sys.exit(f"{label}: mkdocs build failed:\n{proc.stderr[-5000:]}")
    t = json.loads(timing.read_text())
    return wall, {
        "CPU time (build, kernels, torch; not wall)": cpu,
        "start-up (imports, config, plugins)": t["pre_build"] - t0,
        "pages": sum(t["pages"].values()),
        "rest (files, search index, sitemap)": t["post_build"] - t["pre_build"] - sum(t["pages"].values()),
        "exit": t0 + wall - t["post_build"],
    }, t["pages"]


def _children_cpu():
    """CPU seconds used so far by the finished children of this process and theirs (kernels, torch runs).
    On a shared machine it is steadier than the wall clock: other jobs stretch the wall time, not this."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def serve_refresh(tree, page, edits, timeout=120.0):
    """`mkdocs serve` is started once; then `page` is edited `edits` times, a second apart.

    Returns the seconds serve took to come up and, per edit, (total, wait, build, serve): from saving the
    edit to the served HTML showing it; of that, until the rebuild started (the watcher polls every 0.5 s,
    then waits 0.1 s), the rebuild itself, and from its end to the page being fetched.
    """
    port = free_port()
    timing = tree.parent / "timing-serve.json"
    log = open(tree.parent / "serve.log", "w")  # noqa: SIM115 (closed in the finally below)
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "-a", f"127.0.0.1:{port}"],
        cwd=tree, env=dict(env_for(tree, timing), SITE_URL=f"http://127.0.0.1:{port}/"),  # as `make serve`
        stdout=log, stderr=subprocess.STDOUT,
    )
    src = tree / "docs" / page
    original = src.read_text()
    path = page.removesuffix(".md").removesuffix("index")  # topics/derivatives.md -> topics/derivatives/
    url = f"http://127.0.0.1:{port}/" + (path.rstrip("/") + "/" if path else "")
    runs = []
    try:
        t0 = time.time()
        while not fetch(url):
            if proc.poll() is not None or time.time() - t0 > timeout:
                sys.exit(f"mkdocs serve did not come up: see {tree.parent / 'serve.log'}")
            time.sleep(0.2)
        first_up = time.time() - t0
        for _ in range(edits):
            time.sleep(1.0)  # let the watcher settle
            marker = f"bench-marker-{time.time_ns()}"
            t_edit = time.time()
            src.write_text(original + f"\n\n{marker}\n")
            while marker not in (fetch(url) or ""):
                if proc.poll() is not None or time.time() - t_edit > timeout:
                    sys.exit(f"the edit never showed up at {url}: see {tree.parent / 'serve.log'}")
                time.sleep(0.02)
            t_seen = time.time()
            t = json.loads(timing.read_text())
            runs.append((t_seen - t_edit, t["pre_build"] - t_edit, t["post_build"] - t["pre_build"],
                         t_seen - t["post_build"]))
        return first_up, runs
    finally:
        src.write_text(original)
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except OSError:
        return None


def show(label, wall, parts, pages, top=6):
    target = TARGETS[label]
    verdict = "no target" if target is None else "ok" if wall <= target else f"OVER the {target:.0f} s target"
    print(f"\n{label}: {wall:.1f} s ({verdict})")
    for k, v in parts.items():
        print(f"    {k:<38} {v:6.1f} s")
    for name, s in sorted(pages.items(), key=lambda kv: -kv[1])[:top]:
        print(f"        {name:<34} {s:6.2f} s")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--page", default="topics/derivatives.md", help="the page to edit under mkdocs serve")
    ap.add_argument("--edits", type=int, default=5, help="how many edits to time under mkdocs serve")
    ap.add_argument("--keep", action="store_true", help="keep the temp copy and print where it is")
    args = ap.parse_args()
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}; building a private copy of {ROOT}")
    tmp = tempfile.mkdtemp(prefix="bench-build-")
    try:
        tree = prepare(tmp)
        results = {}
        wall, parts, pages = timed_build(tree, Path(tmp) / "site-clean", "clean build")
        show("clean build", wall, parts, pages)
        results["clean build"] = wall
        bare = prepare(tmp, "tree-no-exec", execute=False)
        wall, parts, pages = timed_build(bare, Path(tmp) / "site-no-exec", "no-exec build", strict=False)
        show("no-exec build", wall, parts, pages)
        results["no-exec build"] = wall
        wall, parts, pages = timed_build(tree, Path(tmp) / "site-warm", "warm rebuild")
        show("warm rebuild", wall, parts, pages)
        results["warm rebuild"] = wall
        first_up, runs = serve_refresh(tree, args.page, args.edits)
        totals = sorted(r[0] for r in runs)
        refresh = statistics.median(totals)
        print(f"\nserve refresh: {refresh:.2f} s, the median of {len(runs)} edits of docs/{args.page} "
              f"({'ok' if refresh <= TARGETS['serve refresh'] else 'OVER the 2 s target'}); "
              f"fastest {totals[0]:.2f} s, slowest {totals[-1]:.2f} s; serve took {first_up:.1f} s to come up")
        for name, i in [("until the rebuild starts (watcher)", 1), ("the rebuild", 2), ("until the page is served", 3)]:
            print(f"    {name:<38} {statistics.median(r[i] for r in runs):6.2f} s (median)")
        results["serve refresh"] = refresh
        print("\nsummary: " + ", ".join(
            f"{k} {v:.2f} s" + (f" (target {TARGETS[k]:.0f} s)" if TARGETS[k] else "") for k, v in results.items()))
        print(f"clean build / no-exec build (same run): {results['clean build'] / results['no-exec build']:.1f}x "
              f"({results['clean build'] - results['no-exec build']:.1f} s of executed blocks and notebooks)")
    finally:
        if args.keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
