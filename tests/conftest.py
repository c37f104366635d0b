"""Shared fixtures (one strict build of the whole site per test session), and no skips in CI."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_skipped = []


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """Build the site once with `mkdocs build --strict` and return the site directory.

    Every executed block and notebook runs in this build, so a failing snippet, a broken link or
    anchor, or a missing snippet file fails every test that uses the fixture, with the build log.
    The block cache starts empty (EXEC_CACHE_DIR, beside the site), so nothing is replayed and it ends
    up holding what every block printed: the `executed` fixture reads it.
    """
    run = tmp_path_factory.mktemp("build")
    site = run / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NOTEBOOK_CACHE="false", EXEC_CACHE_DIR=str(run / "exec"))
    env.pop("BUILD_CACHE", None)
    env.pop("EXEC_CACHE", None)
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"mkdocs build --strict failed (exit {proc.returncode}):\n{proc.stderr[-20000:]}",
            pytrace=False,
        )
    return site


@pytest.fixture(scope="session")
def executed(built_site):
    """{page source, e.g. "topics/mlp.md": [what each executed block printed, in order]} of that build."""
    out = {}
    for path in sorted((built_site.parent / "exec").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        out[record["uri"]] = [block["out"] for block in record["blocks"]]
    assert out, "the build stored no executed output (hooks/exec_cache.py, EXEC_CACHE_DIR)"
    return out


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def _in_ci():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def pytest_sessionfinish(session, exitstatus):
    """In CI (CI=true), a skipped test fails the run: every test must run there, chromium and torch included."""
    if _skipped and _in_ci():
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if _skipped and _in_ci():
        terminalreporter.write_line(f"[ci] FAILED: {len(_skipped)} test(s) skipped, and CI runs every test:", red=True)
        for nodeid in _skipped:
            terminalreporter.write_line(f"  {nodeid}")
