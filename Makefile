# Thin task runner. Every target sets up what it needs first (scripts/setup.sh), so on a fresh
# machine `make serve` and `make test` are the only two commands you need.
VENV ?= .venv
PY   := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve build lab test test-fast test-torch bench clean

setup:
	@scripts/setup.sh

serve: setup  ## build the site and serve it on http://127.0.0.1:8000/ (reloads on edits to docs/ and src/)
	SITE_URL=http://127.0.0.1:8000/ $(PY) -m mkdocs serve

build: setup  ## build the site into site/ (strict: any warning or failing snippet fails)
	$(PY) -m mkdocs build --strict

lab:  ## JupyterLab on docs/notebooks/, from a venv of its own (.venv-lab: requirements-lab.txt)
	@VENV=.venv-lab REQUIREMENTS=requirements-lab.txt IMPORTS="autograd_notes jupyterlab" scripts/setup.sh
	.venv-lab/bin/jupyter lab docs/notebooks/

test: setup  ## every test: package, site build, notebooks, browser (PyTorch parity runs when torch is importable)
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: setup  ## the package tests only (seconds)
	$(PY) -m pytest -m "not slow and not browser" $(PYTEST_ARGS)

test-torch:  ## the PyTorch parity tests, in a second venv with torch (scripts/setup-torch.sh)
	@scripts/setup-torch.sh
	.venv-torch/bin/python -m pytest tests/test_torch_parity.py tests/test_engine.py $(PYTEST_ARGS)

bench: setup  ## speed figures: engine vs micrograd, site build times
	$(PY) -m pip install -q -r benchmarks/requirements.txt
	$(PY) benchmarks/bench_engine.py
	$(PY) benchmarks/bench_build.py

clean:
	rm -rf site .cache .pytest_cache .hypothesis  # .cache: notebook and executed-block caches
