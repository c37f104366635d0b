#!/usr/bin/env bash
# Optional: a second venv (.venv-torch) with PyTorch, for the parity tests and the PyTorch page.
# PyTorch's CPU wheels are the light ones; on this project's CI machines a CPU wheel of
# torch 2.13.0 for Python 3.11 lies on disk, so the venv is made from a Python 3.11 there.
# Elsewhere: TORCH_PYTHON=python3.12 TORCH_SPEC="torch --extra-index-url https://download.pytorch.org/whl/cpu" scripts/setup-torch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${TORCH_VENV:-.venv-torch}
SPEC=${TORCH_SPEC:-torch==2.13.0}
say() { printf '\033[1m[setup-torch]\033[0m %s\n' "$*"; }
py=${TORCH_PYTHON:-}
if [ -z "$py" ]; then
  for c in python3.11 "$(pyenv root 2>/dev/null)/versions/3.11.7/bin/python3" python3; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then py=$c; break; fi
  done
fi
[ -n "$py" ] || { echo "No Python >= 3.11 for the PyTorch venv; set TORCH_PYTHON=/path/to/python" >&2; exit 1; }
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV with $("$py" --version 2>&1)"
  "$py" -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import torch, autograd_notes, pytest, hypothesis" >/dev/null 2>&1; then
  say "installing $SPEC, the package and the test tools into $VENV"
  # shellcheck disable=SC2086
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check $SPEC -e . "pytest>=8.3,<10" "hypothesis>=6.100,<7" 2>&1 \
    | grep -v "is ignored: it is neither a file nor a directory" || true
fi
"$VENV/bin/python" -c "import torch; print('[setup-torch] ready: torch', torch.__version__)"
