#!/usr/bin/env bash
# Re-vendor the site's third-party browser assets into docs/assets/vendor/: KaTeX (maths), and for
# running code in the page, the Pyodide core, viz-js and the graphviz wheel.
# The site loads everything from its own origin only, so the files live in the repository.
# Usage: scripts/vendor_assets.sh [katex-version]     (needs npm and python3; run from anywhere)
set -euo pipefail

KATEX_VERSION="${1:-0.19.1}"   # the version the site ships; bump it here and re-run
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/docs/assets/vendor/katex"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

command -v npm >/dev/null || { echo "npm not found: install Node.js (apt-get install npm)" >&2; exit 1; }

cd "$tmp"
npm pack --silent "katex@$KATEX_VERSION" >/dev/null
tar -xzf "katex-$KATEX_VERSION.tgz"
src="$tmp/package/dist"

rm -rf "$dest"
mkdir -p "$dest/contrib" "$dest/fonts"
cp "$src/katex.min.js" "$src/katex.min.css" "$dest/"
cp "$src/contrib/auto-render.min.js" "$dest/contrib/"
cp "$src"/fonts/*.woff2 "$dest/fonts/"   # every current browser reads woff2
cp "$tmp/package/LICENSE" "$dest/LICENSE"
echo "$KATEX_VERSION" > "$dest/VERSION"

# katex.min.css lists woff and ttf fallbacks too; keep only the woff2 sources we ship,
# so no request points at a missing file.
python3 - "$dest/katex.min.css" <<'PY'
import re, sys
path = sys.argv[1]
css = open(path, encoding="utf-8").read()
css = re.sub(r',url\(fonts/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)', "", css)
open(path, "w", encoding="utf-8").write(css)
PY

echo "KaTeX $KATEX_VERSION vendored into ${dest#$root/}"

# --- Python in the browser (docs/assets/js/run.js) -------------------------------------------------
# Pinned versions and the sha256 of what the registries serve: a changed download stops the script.
# docs/assets/vendor/SHA256SUMS records every shipped runtime file; tests/test_run_in_browser.py checks it.
PYODIDE_VERSION="314.0.8"   # npm `pyodide`: the core runtime only (Python 3.14), MPL-2.0
PYODIDE_TGZ_SHA256="9a52704e0ae5b07aaacb8e4fed9f1658e8024694a078695ea45ac79dee4cefcb"
VIZ_VERSION="3.31.0"        # npm `@viz-js/viz`: Graphviz compiled to WebAssembly, one ESM file, MIT
VIZ_TGZ_SHA256="7dc0189874849cca2fed7cbe88bf334cd0e6e012db16657794a812ad6f2b8c70"
GRAPHVIZ_VERSION="0.21"     # PyPI `graphviz` (pure Python, MIT): the dependency of our wheel
GRAPHVIZ_WHL_SHA256="54f33de9f4f911d7e84e4191749cac8cc5653f815b06738c54db9a15ab8b1e42"

check() {  # check FILE SHA256
  local got
  got="$(sha256sum "$1" | cut -d' ' -f1)"
  [ "$got" = "$2" ] || { echo "checksum mismatch for $1: got $got, expected $2 (a new version? update the pin)" >&2; exit 1; }
}

vendor="$root/docs/assets/vendor"
cd "$tmp"
rm -rf package
npm pack --silent "pyodide@$PYODIDE_VERSION" >/dev/null
check "pyodide-$PYODIDE_VERSION.tgz" "$PYODIDE_TGZ_SHA256"
tar -xzf "pyodide-$PYODIDE_VERSION.tgz"
rm -rf "$vendor/pyodide" && mkdir -p "$vendor/pyodide"
# what loadPyodide() fetches; not pyodide.js (the classic-script build), the maps or the consoles
for f in pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip pyodide-lock.json; do
  cp "package/$f" "$vendor/pyodide/"
done
printf 'pyodide %s (npm), MPL-2.0, https://github.com/pyodide/pyodide\n' "$PYODIDE_VERSION" > "$vendor/pyodide/VERSION"

rm -rf package
npm pack --silent "@viz-js/viz@$VIZ_VERSION" >/dev/null
check "viz-js-viz-$VIZ_VERSION.tgz" "$VIZ_TGZ_SHA256"
tar -xzf "viz-js-viz-$VIZ_VERSION.tgz"
rm -rf "$vendor/viz-js" && mkdir -p "$vendor/viz-js"
cp package/dist/viz.js "$vendor/viz-js/viz.js"
printf '@viz-js/viz %s (npm), MIT, https://github.com/mdaines/viz-js\n' "$VIZ_VERSION" > "$vendor/viz-js/VERSION"

command -v python3 >/dev/null || { echo "python3 not found" >&2; exit 1; }
rm -rf "$vendor/wheels" && mkdir -p "$vendor/wheels"
python3 -m pip download --quiet --no-deps --only-binary :all: -d "$vendor/wheels" "graphviz==$GRAPHVIZ_VERSION"
check "$vendor/wheels/graphviz-$GRAPHVIZ_VERSION-py3-none-any.whl" "$GRAPHVIZ_WHL_SHA256"

(cd "$vendor" && sha256sum pyodide/* viz-js/* wheels/* > SHA256SUMS)
echo "Pyodide $PYODIDE_VERSION, viz-js $VIZ_VERSION and graphviz $GRAPHVIZ_VERSION vendored into ${vendor#$root/}"
