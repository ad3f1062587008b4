#!/usr/bin/env bash
# Builds the usager's web application into web/dist (served by Consigne at / and /app/assets/).
# Idempotent: `npm ci` only when the lock file is newer than the last install, then `vite build`.
# Needs web/pkg (the crypto crate's WASM, made by crypto/wasm/build.sh) first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if [ ! -f pkg/consigne_crypto_wasm_bg.wasm ]; then
  echo "web/build.sh: web/pkg is missing; run crypto/wasm/build.sh first" >&2
  exit 1
fi
stamp=node_modules/.consigne-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund
  touch "$stamp"
fi
npx vite build --logLevel warn
# pdf.js draws the fonts a PDF names without embedding them from these files, fetched only then;
# under a folder named after pdf.js's version, since /app/assets/ is cached for a year.
pdfjs=$(node -p "require('./node_modules/pdfjs-dist/package.json').version")
mkdir -p "dist/assets/pdfjs-$pdfjs"
cp node_modules/pdfjs-dist/standard_fonts/* "dist/assets/pdfjs-$pdfjs/"
# A gzip copy beside each script, style sheet and WASM file: the server sends it to browsers that
# take gzip (a third of the bytes on a prepaid connection; see server/src/http/assets.rs).
find dist/assets -maxdepth 1 -type f \( -name '*.js' -o -name '*.mjs' -o -name '*.css' -o -name '*.wasm' \) \
  -exec gzip -9 -k -f -n {} +
echo "web/build.sh: wrote $(pwd)/dist"
