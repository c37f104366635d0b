#!/usr/bin/env bash
# A second venv, .venv-torch, with PyTorch (CPU), for the PyTorch page and the parity tests. `make serve`,
# `make build` and `make test` run this; the build finds it through AUTOGRAD_NOTES_TORCH_PYTHON.
#
# The site's own venv needs Python >= 3.12; this one is a Python 3.11 where one is found, because a CPU
# wheel of torch 2.13.0 for 3.11 lies on this project's machines' disk (pip's find-links): installing it
# takes seconds. Where no wheel is on disk, pip downloads one: the CPU build from PyTorch's index is about
# 200 MB (a minute or two on a fast line); PyPI's default for Python >= 3.12 is the CUDA build, several GB.
# To go without PyTorch: SKIP_TORCH=1 make serve (the PyTorch page then says PyTorch is missing; a build
# for deployment, DEPLOY=1 or CI=true, refuses that).
#   TORCH_PYTHON=python3.12 TORCH_SPEC="torch --index-url https://download.pytorch.org/whl/cpu" scripts/setup-torch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${TORCH_VENV:-.venv-torch}
SPEC=${TORCH_SPEC:-torch==2.13.0}
TOOLS=("pytest>=8.3,<10" "hypothesis>=6.100,<7" "numpy>=1.26" "ipykernel>=6.29,<8")  # numpy: the engine test
# with numpy arrays; ipykernel: the site's notebooks run in this venv's kernel, so their PyTorch cells run too
KERNEL=autograd-notes-torch  # the kernel's name; the build picks it through NOTEBOOK_KERNEL (Makefile)
say() { printf '\033[1m[setup-torch]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup-torch] %s\033[0m\n' "$*" >&2; exit 1; }

if [ "${SKIP_TORCH:-}" = 1 ]; then
  say "SKIP_TORCH=1: no PyTorch venv (the PyTorch page will say PyTorch is missing)"
  exit 0
fi
ready='import importlib.util as u, sys; sys.exit(any(u.find_spec(m) is None for m in ["torch", "autograd_notes", "pytest", "hypothesis", "numpy", "ipykernel"]))'
# The kernel spec, written into .venv (where the build's Jupyter looks: <sys.prefix>/share/jupyter/kernels),
# names this venv's Python. Without .venv (scripts/setup.sh makes it) there is nothing to register it with.
register_kernel() {
  local dir=".venv/share/jupyter/kernels/$KERNEL" py
  [ -d .venv ] || return 0
  py="$(cd "$(dirname "$VENV/bin/python")" && pwd)/python"
  mkdir -p "$dir"
  printf '{"argv": ["%s", "-m", "ipykernel_launcher", "-f", "{connection_file}"],\n "display_name": "Python 3 (PyTorch)", "language": "python"}\n' \
    "$py" > "$dir/kernel.json"
}
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "$ready" >/dev/null 2>&1; then
  register_kernel
  exit 0  # ready (checked without a word: this runs before every make serve / test)
fi

py=${TORCH_PYTHON:-}
if [ -z "$py" ]; then
  for c in python3.11 "$(pyenv root 2>/dev/null)/versions/3.11.7/bin/python3" python3; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      py=$c; break
    fi
  done
fi
[ -n "$py" ] || die "No Python >= 3.11 for the PyTorch venv; set TORCH_PYTHON=/path/to/python, or SKIP_TORCH=1"
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV with $("$py" --version 2>&1)"
  "$py" -m venv "$VENV" || die "Could not create $VENV. On Debian: apt-get install python3-venv"
fi
pip=("$VENV/bin/python" -m pip install -q --disable-pip-version-check)
# shellcheck disable=SC2086
if "${pip[@]}" --no-index $SPEC >/dev/null 2>&1; then
  say "installed $SPEC from a wheel on disk"
else
  say "no wheel of $SPEC on disk for $("$VENV/bin/python" --version 2>&1): downloading it."
  say "  The CPU build is about 200 MB (a minute or two); skip PyTorch with SKIP_TORCH=1, or pick the"
  say "  CPU index: TORCH_SPEC=\"torch --index-url https://download.pytorch.org/whl/cpu\" $0"
  # shellcheck disable=SC2086
  "${pip[@]}" $SPEC || die "Installing $SPEC failed. Retry, set TORCH_SPEC, or go without: SKIP_TORCH=1"
fi
say "installing the package and the test tools into $VENV"
"${pip[@]}" -e . "${TOOLS[@]}" 2>&1 | grep -v "is ignored: it is neither a file nor a directory" || true
"$VENV/bin/python" -c "import torch, autograd_notes" || die "The install of $VENV is incomplete: see above"
say "ready: torch $("$VENV/bin/python" -c 'import torch; print(torch.__version__)' 2>/dev/null)"
register_kernel
