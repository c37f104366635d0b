#!/usr/bin/env bash
# Re-vendor KaTeX from the npm registry into docs/assets/vendor/katex/.
# The site loads maths from its own origin only, so the files live in the repository.
# Usage: scripts/vendor_assets.sh [version]     (needs npm; run from anywhere)
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
