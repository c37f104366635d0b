"""Shared fixtures (one strict build of the whole site per test session), and no skips in CI."""

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
    """
    site = tmp_path_factory.mktemp("site")
    # No caches: the tests see every block and notebook run by this build.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", BUILD_CACHE="false")
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


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """In CI (CI=true), a skipped test fails the run: every test must run there, chromium and torch included."""
    if _skipped and os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        print(f"\n[ci] {len(_skipped)} test(s) skipped, and CI runs every test:\n  " + "\n  ".join(_skipped))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
