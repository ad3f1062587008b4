#!/usr/bin/env bash
# Prepares everything the crypto tests need (idempotent; reuses what is already installed):
#   - the rage CLI (interop tests),
#   - crypto/js/node_modules (age-encryption, for interop and benchmark),
#   - the WASM packages web/pkg and crypto/wasm/pkg-node (crypto/wasm/build.sh).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

if ! command -v rage >/dev/null 2>&1; then
  echo "setup.sh: installing rage"
  cargo install --locked rage
fi

if [ ! -d "$HERE/js/node_modules" ]; then
  echo "setup.sh: npm ci in crypto/js"
  (cd "$HERE/js" && npm ci --no-audit --no-fund)
fi

"$HERE/wasm/build.sh"
echo "setup.sh: ready"
