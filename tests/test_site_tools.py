"""src/site_tools, the site's build-time helpers: the caches' environment key and safe reads, and torch_run's rules."""

import json
import os
from pathlib import Path

import pytest

from site_tools import cache, torch_run

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def no_torch(monkeypatch):
    """A build Python without torch and no AUTOGRAD_NOTES_TORCH_PYTHON."""
    monkeypatch.setattr(torch_run, "find_spec", lambda name: None)
    monkeypatch.delenv(torch_run.ENV, raising=False)
    for name in ("DEPLOY", "CI"):
        monkeypatch.delenv(name, raising=False)


def test_without_torch_a_page_says_so_but_a_deployment_build_fails(no_torch, monkeypatch):
    assert torch_run.interpreter() is None
    assert "PyTorch is not installed" in torch_run.show("docs/snippets/torch_neuron.py")
    for name in ("DEPLOY", "CI"):
        monkeypatch.setenv(name, "true" if name == "CI" else "1")
        with pytest.raises(RuntimeError, match="PyTorch is required for this build"):
            torch_run.interpreter()
        monkeypatch.delenv(name)


def test_a_torch_python_that_is_not_a_file_is_named_in_the_error(no_torch, monkeypatch, tmp_path):
    monkeypatch.setenv(torch_run.ENV, str(tmp_path / "nowhere" / "python"))
    with pytest.raises(RuntimeError, match="no such file"):
        torch_run.interpreter()


def test_the_environment_key_changes_with_dot_torch_and_the_sources(no_torch, monkeypatch, tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "m.py").write_text("K = 1\n")
    base = cache.environment(tmp_path)
    assert cache.environment(tmp_path) == base  # the same inputs, the same key

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dot").write_text("#!/bin/sh\necho 'dot - graphviz version 99.0.0 (stand-in)' >&2\n")
    (bin_dir / "dot").chmod(0o755)
    with monkeypatch.context() as m:
        m.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
        assert cache.environment(tmp_path) != base  # a new Graphviz

    with monkeypatch.context() as m:
        m.setattr(torch_run, "describe", lambda: "/some/python torch 9.9")
        assert cache.environment(tmp_path) != base  # torch appeared

    assert cache.environment(tmp_path) == base

    (tmp_path / "src" / "m.py").write_text("K = 2\n")
    assert cache.environment(tmp_path) != base  # the sources changed


@pytest.mark.parametrize("text", ["", "{trunc", "[]", '{"a": 1}', "\xff\xfe"])
def test_an_unreadable_or_ill_shaped_entry_reads_as_a_miss(tmp_path, text):
    path = tmp_path / "entry.json"
    path.write_bytes(text.encode("latin-1"))
    assert cache.read_json(path, lambda v: isinstance(v["a"], list)) is None


def test_a_good_entry_reads_back_and_writes_are_whole(tmp_path):
    path = tmp_path / "deep" / "entry.json"
    cache.write(path, json.dumps({"a": [1]}))
    assert cache.read_json(path, lambda v: isinstance(v["a"], list)) == {"a": [1]}
    assert [p.name for p in path.parent.iterdir()] == ["entry.json"]  # no temporary file left behind


def test_the_switches(monkeypatch):
    for name in ("BUILD_CACHE", "EXEC_CACHE"):
        monkeypatch.delenv(name, raising=False)
    assert cache.enabled("EXEC_CACHE")
    monkeypatch.setenv("BUILD_CACHE", "false")
    assert not cache.enabled("EXEC_CACHE")
    monkeypatch.setenv("BUILD_CACHE", "true")
    monkeypatch.setenv("EXEC_CACHE", "off")
    assert not cache.enabled("EXEC_CACHE") and cache.enabled("NOTEBOOK_CACHE")


def test_describe_names_the_torch_of_the_venv_without_importing_it(monkeypatch):
    torch_python = str(ROOT / ".venv-torch" / "bin" / "python")
    if os.environ.get("SKIP_TORCH") == "1":
        pytest.skip("SKIP_TORCH=1: no .venv-torch")
    if not os.path.isfile(torch_python):
        pytest.fail(f"no {torch_python}: `make test` sets up .venv-torch first (scripts/setup-torch.sh)")
    monkeypatch.setattr(torch_run, "find_spec", lambda name: None)
    monkeypatch.setenv(torch_run.ENV, torch_python)
    assert torch_run.describe().startswith(f"{torch_python} torch 2.")
