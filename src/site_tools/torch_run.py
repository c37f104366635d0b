"""Run the PyTorch scripts in docs/snippets at build time, so a page can show what they print.

The scripts run with the first of these interpreters:

1. the Python running the build, if it can import torch;
2. the Python named by the environment variable AUTOGRAD_NOTES_TORCH_PYTHON (`make serve`, `make test`
   and CI point it at .venv-torch, a Python 3.11 venv with torch made by scripts/setup-torch.sh);
3. none: ``show()`` returns an admonition that says PyTorch is not installed and how to run the script.
   A build for deployment (``DEPLOY`` or ``CI`` set to true) refuses this: it fails rather than
   publish a PyTorch page with no PyTorch numbers.

A script that raises makes ``run()`` raise RuntimeError with its traceback, which fails the strict
build; so does an AUTOGRAD_NOTES_TORCH_PYTHON that is not a file or cannot import torch.

The scripts of one ``run()`` call share one child process, so torch is imported once: each runs as
``__main__`` in a fresh namespace (``runpy``), as ``python <script>`` from the repository root would.

Pages import it as ``from site_tools import torch_run`` (src/ is on the path of the editable install).
"""

import hashlib
import json
import os
import subprocess
import sys
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository: src/site_tools/ is two levels down
ENV = "AUTOGRAD_NOTES_TORCH_PYTHON"
TIMEOUT = 600  # seconds for one batch; a script takes about a second once torch is imported

# Runs in the child: import torch, then each script in turn, its stdout captured; JSON on stdout.
_RUNNER = r"""
import contextlib, io, json, runpy, sys, traceback
import torch
report = {"versions": f"Python {sys.version.split()[0]}, torch {torch.__version__}", "outputs": {}}
for path in sys.argv[1:]:
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            runpy.run_path(path, run_name="__main__")
    except BaseException:
        report["error"] = {"script": path, "traceback": traceback.format_exc()}
        break
    report["outputs"][path] = buffer.getvalue()
print(json.dumps(report))
"""

_outputs = {}  # (python, script, sha256 of its source) -> (stdout, versions)


def interpreter():
    """``(python, where it came from)`` for the interpreter that runs the scripts, or None."""
    if find_spec("torch") is not None:
        return sys.executable, "the build's own Python"
    wanted = os.environ.get(ENV, "").strip()
    if not wanted:
        if required():
            raise RuntimeError(
                f"PyTorch is required for this build (DEPLOY or CI is set) but neither this Python "
                f"({sys.executable}) nor {ENV} has it: run scripts/setup-torch.sh and set "
                f"{ENV}=$PWD/.venv-torch/bin/python"
            )
        return None
    if not Path(wanted).is_file():
        raise RuntimeError(f"{ENV}={wanted}: no such file; point it at a Python that has torch, or unset it")
    return wanted, f"{ENV}={wanted}"


def required():
    """True for a build that must show real PyTorch numbers: one for deployment (DEPLOY) or CI (CI)."""
    return any(os.environ.get(v, "").strip().lower() in {"1", "true", "yes", "on"} for v in ("DEPLOY", "CI"))


def describe():
    """Which PyTorch the scripts would run with, e.g. "/path/python torch 2.13.0+cpu", or "no torch".

    Reads the installed version without importing torch (fast), so the build caches can key on it.
    """
    found = interpreter()
    if found is None:
        return "no torch"
    python = found[0]
    if python == sys.executable:
        return f"{python} torch {metadata.version('torch')}"
    done = subprocess.run([python, "-c", "from importlib.metadata import version; print(version('torch'))"],
                          capture_output=True, text=True, timeout=60)
    return f"{python} torch {done.stdout.strip() or 'missing: ' + done.stderr.strip()[-200:]}"


def _key(python, script):
    path = ROOT / script
    if not path.is_file():
        raise RuntimeError(f"{script}: no such script (paths are relative to the repository root)")
    return python, script, hashlib.sha256(path.read_bytes()).hexdigest()


def _run_batch(python, source, scripts):
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([python, "-c", _RUNNER, *scripts], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=TIMEOUT)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no error output"])[-1]
        if "torch" in last and ("ModuleNotFoundError" in last or "ImportError" in last):
            raise RuntimeError(
                f"{source} cannot import torch ({last}); install it there with "
                f"`{python} -m pip install torch`, or unset {ENV}"
            )
        raise RuntimeError(f"running {', '.join(scripts)} with {python} failed:\n{done.stderr}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if "error" in report:
        err = report["error"]
        raise RuntimeError(f"`python {err['script']}` failed ({source}):\n{err['traceback']}")
    for script in scripts:
        _outputs[_key(python, script)] = report["outputs"][script], report["versions"]


def run(*scripts):
    """Run the scripts and return their standard outputs (one string per script), or None without PyTorch.

    Args:
        scripts: paths relative to the repository root, e.g. ``"docs/snippets/torch_neuron.py"``.
            Outputs are cached per script source, so asking again costs nothing.
    """
    found = interpreter()
    if found is None:
        return None
    python, source = found
    todo = [s for s in scripts if _key(python, s) not in _outputs]
    if todo:
        _run_batch(python, source, todo)
    outs = [_outputs[_key(python, s)][0] for s in scripts]
    return outs[0] if len(scripts) == 1 else outs


def show(script):
    """Markdown for a page: the script's output, run at build time, or a note that PyTorch is missing."""
    out = run(script)
    if out is None:
        return (
            '!!! warning "PyTorch is not installed where this site was built"\n'
            "    So this page shows no PyTorch numbers here, rather than made-up ones.\n"
            "    Install it with `pip install torch` and run this script from the repository root\n"
            f"    to see them: `python {script}`.\n"
        )
    versions = _outputs[_key(interpreter()[0], script)][1]
    fence = "````" if "```" in out else "```"
    return (
        f"Printed by `python {script}` when this site was built ({versions}):\n\n"
        f"{fence}text\n{out.rstrip()}\n{fence}\n"
    )


def numbers(script):
    """The ``name = number`` lines a script printed, as a dict of floats, or None without PyTorch."""
    out = run(script)
    if out is None:
        return None
    found = {}
    for line in out.splitlines():
        name, _, value = line.partition("=")
        try:
            found[name.strip()] = float(value)
        except ValueError:
            continue
    return found
