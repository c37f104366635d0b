# Thin task runner. Every target sets up what it needs first, so on a fresh machine `make serve` and
# `make test` are the only two commands you need:
#   scripts/setup.sh        Graphviz's dot (and chromium for the tests), .venv with requirements.txt
#   scripts/setup-torch.sh  .venv-torch: PyTorch (CPU) in a Python 3.11 venv, for the PyTorch page and tests
VENV ?= .venv
PY   := $(VENV)/bin/python
TORCH_VENV := $(CURDIR)/.venv-torch
export NO_MKDOCS_2_WARNING := 1
# The build finds PyTorch through AUTOGRAD_NOTES_TORCH_PYTHON (src/site_tools/torch_run.py): .venv-torch's
# Python, unless the variable is set already or the venv was skipped (SKIP_TORCH=1).
# The notebooks run in .venv-torch's kernel when scripts/setup-torch.sh registered it (NOTEBOOK_KERNEL, mkdocs.yml).
WITH_TORCH = env $$(p=$${AUTOGRAD_NOTES_TORCH_PYTHON:-$(TORCH_VENV)/bin/python}; \
	[ -x "$$p" ] && echo AUTOGRAD_NOTES_TORCH_PYTHON=$$p; \
	[ -f $(VENV)/share/jupyter/kernels/autograd-notes-torch/kernel.json ] && echo NOTEBOOK_KERNEL=autograd-notes-torch)

.PHONY: setup setup-torch serve build lab lint test test-torch test-fast bench clean

setup:
	@scripts/setup.sh

setup-torch:
	@scripts/setup-torch.sh

# Not strict, so that an error shows in the browser (hooks/serve_errors.py) instead of stopping the server.
serve: setup setup-torch  ## build the site and serve it on http://127.0.0.1:8000/ (rebuilds on edits)
	$(WITH_TORCH) SITE_URL=http://127.0.0.1:8000/ $(PY) -m mkdocs serve --no-strict

build: setup setup-torch  ## build the site into site/ (strict: any warning or failing snippet fails)
	$(WITH_TORCH) $(PY) -m mkdocs build --strict

lab:  ## JupyterLab on docs/notebooks/, from a venv of its own (.venv-lab: requirements-lab.txt)
	@VENV=.venv-lab REQUIREMENTS=requirements-lab.txt IMPORTS="autograd_notes jupyterlab" scripts/setup.sh
	.venv-lab/bin/jupyter lab docs/notebooks/

lint:  ## ruff (rules in pyproject.toml), from a venv of its own (.venv-lint)
	@VENV=.venv-lint REQUIREMENTS=requirements-lint.txt IMPORTS=ruff scripts/setup.sh >/dev/null
	.venv-lint/bin/ruff check .

# Every test, none skipped: the package, the site build, notebooks and browser tests in .venv (Python >= 3.12,
# with chromium), then the PyTorch parity tests and the engine's in .venv-torch (Python 3.11, torch).
# ruff runs first; its findings fail the target, but the tests still run, so one run shows both.
test:  ## ruff, then every test (Graphviz, chromium, .venv, .venv-lint and .venv-torch are set up first)
	@APT_EXTRA=chromium scripts/setup.sh
	@VENV=.venv-lint REQUIREMENTS=requirements-lint.txt IMPORTS=ruff scripts/setup.sh >/dev/null
	@scripts/setup-torch.sh
	@status=0; set -x; \
	.venv-lint/bin/ruff check . || status=1; \
	$(WITH_TORCH) $(PY) -m pytest --ignore=tests/test_torch_parity.py $(PYTEST_ARGS) || status=1; \
	if [ -x $(TORCH_VENV)/bin/python ]; then \
	  $(TORCH_VENV)/bin/python -m pytest tests/test_torch_parity.py tests/test_engine.py $(PYTEST_ARGS) || status=1; \
	else echo "[test] SKIP_TORCH=1: the PyTorch parity tests did not run"; fi; \
	exit $$status

test-torch: setup-torch  ## the PyTorch parity tests alone, in .venv-torch (make test runs them too)
	$(TORCH_VENV)/bin/python -m pytest tests/test_torch_parity.py tests/test_engine.py $(PYTEST_ARGS)

test-fast: setup  ## the package tests only (seconds): no site build, no notebook, no browser
	$(PY) -m pytest -m "not slow and not browser" --ignore=tests/test_torch_parity.py $(PYTEST_ARGS)

bench: setup setup-torch  ## speed figures: engine vs micrograd, site build times, running in the browser
	@APT_EXTRA=chromium scripts/setup.sh
	$(PY) -m pip install -q -r benchmarks/requirements.txt
	$(PY) benchmarks/bench_engine.py
	$(WITH_TORCH) $(PY) benchmarks/bench_build.py
	$(WITH_TORCH) $(PY) benchmarks/bench_browser.py

clean:
	rm -rf site .cache .pytest_cache .hypothesis  # .cache: notebook and executed-block caches
