#!/usr/bin/env bash
# Set up everything the site and the tests need, on a fresh Debian/Ubuntu or macOS machine:
#   1. Graphviz's `dot` program (the pip package `graphviz` does not ship it),
#   2. a virtual environment in .venv from a Python >= 3.12 (mkdocs-jupyter 0.27 needs it),
#   3. requirements.txt installed into it, with the exact versions of constraints.txt (what hooks/ reaches
#      into); skipped when none of these files changed since the last run.
# Extra apt packages are asked for with APT_EXTRA (`make test` asks for chromium, for the browser tests).
# `make lab` runs it with VENV=.venv-lab REQUIREMENTS=requirements-lab.txt IMPORTS="autograd_notes jupyterlab".
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
REQUIREMENTS=${REQUIREMENTS:-requirements.txt}
CONSTRAINTS=${CONSTRAINTS:-constraints.txt}
IMPORTS=${IMPORTS:-autograd_notes site_tools mkdocs material mkdocs_jupyter markdown_exec graphviz}
[ -f "$REQUIREMENTS" ] || { printf '[setup] %s not found (REQUIREMENTS=%s)\n' "$REQUIREMENTS" "$REQUIREMENTS" >&2; exit 1; }
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

# ---- system packages: Graphviz (and whatever APT_EXTRA names)
need_apt=""
command -v dot >/dev/null 2>&1 || need_apt="graphviz"
have() { command -v "$1" >/dev/null 2>&1 || { [ "$1" = chromium ] && [ -x "${CHROMIUM:-}" ]; }; }
for pkg in ${APT_EXTRA:-}; do
  have "$pkg" || need_apt="$need_apt $pkg"
done
if [ -n "${need_apt// /}" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    if [ -n "$sudo" ] && ! command -v sudo >/dev/null 2>&1; then
      die "Missing:$need_apt. Run as root: apt-get update && apt-get install -y$need_apt"
    fi
    say "installing with apt-get:$need_apt"
    $sudo apt-get update -qq || die "apt-get update failed. Run: sudo apt-get update && sudo apt-get install -y$need_apt"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $need_apt >/dev/null \
      || die "apt-get install failed. Run: sudo apt-get install -y$need_apt"
  elif command -v brew >/dev/null 2>&1; then
    for pkg in $need_apt; do
      case $pkg in
        graphviz) say "installing Graphviz with Homebrew"
                  brew install graphviz || die "brew install graphviz failed. Run it by hand, then try again." ;;
        chromium) say "installing Chromium with Homebrew"
                  brew install --cask chromium || die "brew install --cask chromium failed. Run it by hand, then try again." ;;
        *)        die "Missing: $pkg, and there is no apt-get here: install it, then try again." ;;
      esac
    done
  else
    die "Missing:$need_apt, and neither apt-get nor brew is here. Install it:
  Debian/Ubuntu: sudo apt-get install$need_apt
  macOS:         brew install graphviz; brew install --cask chromium
  conda:         conda install -c conda-forge graphviz"
  fi
fi
command -v dot >/dev/null 2>&1 || die "Graphviz's dot is still not on PATH. Install it: sudo apt-get install graphviz (or brew install graphviz)"
for pkg in ${APT_EXTRA:-}; do
  have "$pkg" || die "$pkg is still not on PATH. Install it: sudo apt-get install $pkg
  (on Ubuntu, where apt's chromium is a snap, put a chromium on PATH or set CHROMIUM=/path/to/chromium)"
done

# ---- a Python >= 3.12
is_new_enough() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
find_python() {
  local c v
  for c in ${PYTHON:-} python3.13 python3.12 python3; do
    if command -v "$c" >/dev/null 2>&1 && is_new_enough "$c"; then command -v "$c"; return 0; fi
  done
  if command -v pyenv >/dev/null 2>&1; then  # pyenv shims answer only for the selected version
    for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.[0-9]+\.[0-9]+$' | sort -t. -k2,2nr -k3,3nr); do
      c="$(pyenv root)/versions/$v/bin/python3"
      if [ -x "$c" ] && is_new_enough "$c"; then echo "$c"; return 0; fi
    done
  fi
  return 1
}

if [ -x "$VENV/bin/python" ] && ! is_new_enough "$VENV/bin/python"; then
  say "$VENV has a Python older than 3.12: making it anew"
  rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
  py=$(find_python) || die "No Python >= 3.12 found. Install one (Debian: apt-get install python3.12 python3.12-venv;
  macOS: brew install python@3.12; pyenv: pyenv install 3.12) or name it: PYTHON=/path/to/python3.12 make ..."
  say "creating $VENV with $("$py" --version 2>&1) ($py)"
  "$py" -m venv "$VENV" || die "Could not create the venv. On Debian: apt-get install python3-venv (or python3.12-venv)"
fi

# ---- the requirements (reinstalled only when they, the constraints or pyproject.toml change)
stamp="$VENV/.requirements.sha"
want=$(cat "$REQUIREMENTS" "$CONSTRAINTS" pyproject.toml | sha256sum 2>/dev/null \
  || cat "$REQUIREMENTS" "$CONSTRAINTS" pyproject.toml | shasum -a 256)
want=${want%% *}
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing $REQUIREMENTS into $VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQUIREMENTS" -c "$CONSTRAINTS" 2>&1 \
    | grep -v "is ignored: it is neither a file nor a directory" || true
  "$VENV/bin/python" -c "import ${IMPORTS// /, }" \
    || die "The install is incomplete: see the pip output above"
  echo "$want" > "$stamp"
fi
# A venv made from an older requirements.txt may still hold JupyterLab's rfc3987-syntax, which every
# mkdocs start then imports (about 2 s, through jsonschema). Say so; do not uninstall what may be in use.
if [ "$REQUIREMENTS" = requirements.txt ] && "$VENV/bin/python" -c "import importlib.util as u, sys; sys.exit(u.find_spec('rfc3987_syntax') is None)" 2>/dev/null; then
  say "note: $VENV has rfc3987-syntax (from JupyterLab), which slows every build by about 2 s."
  say "      For a lean venv: rm -rf $VENV, then run this again. JupyterLab lives in .venv-lab (make lab)."
fi
say "ready: $("$VENV/bin/python" --version), $(dot -V 2>&1)"
