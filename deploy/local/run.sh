#!/usr/bin/env bash
# Runs Consigne on its embedded default: SQLite in var/, documents in var/blobs, plain HTTP on
# localhost. This is the README's run command.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
# The browser's crypto (WASM) and, once present, the development identity provider.
bash crypto/wasm/build.sh
if [ -f deploy/dev-idp/setup.sh ]; then bash deploy/dev-idp/setup.sh; fi
cargo build --release -p consigne-server
mkdir -p var
echo "Consigne démarre ; ouvrez ${CONSIGNE_SERVER_PUBLIC_URL:-http://localhost:8080} dans un navigateur (Ctrl+C pour arrêter)."
exec target/release/consigne serve
