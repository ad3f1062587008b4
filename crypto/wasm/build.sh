#!/usr/bin/env bash
# Builds the WASM bindings: web/pkg (for the browser) and crypto/wasm/pkg-node (for Node tests).
# Two builds: the Node one has the `fixed-randomness` feature (the `*Fixed` test functions that
# take their randomness as input); the browser one does not, so web/pkg never exports them.
# Installs the wasm-bindgen CLI matching the wasm-bindgen crate version if needed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MANIFEST="$ROOT/crypto/wasm/Cargo.toml"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export PATH="$HOME/.cargo/bin:$PATH"

# The CLI must match the library version exactly (the wasm-bindgen schema is versioned).
WANT="$(cargo tree --manifest-path "$MANIFEST" -p consigne-crypto-wasm -i wasm-bindgen \
  --target wasm32-unknown-unknown --depth 0 -e normal | head -n1 | sed -E 's/^wasm-bindgen v([0-9.]+).*/\1/')"
if [ -z "$WANT" ]; then
  echo "build.sh: cannot determine the wasm-bindgen version" >&2
  exit 1
fi
HAVE="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$HAVE" != "$WANT" ]; then
  echo "build.sh: installing wasm-bindgen-cli $WANT (found '${HAVE:-none}')"
  # --locked first; if the registry mirror lacks one of the locked versions, resolve afresh.
  cargo install --locked wasm-bindgen-cli --version "$WANT" ||
    cargo install wasm-bindgen-cli --version "$WANT"
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

build() {
  CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
    cargo build --manifest-path "$MANIFEST" -p consigne-crypto-wasm --release \
    --target wasm32-unknown-unknown "$@"
}
WASM="$TARGET_DIR/wasm32-unknown-unknown/release/consigne_crypto_wasm.wasm"

build
wasm-bindgen --target web --out-dir "$ROOT/web/pkg" "$WASM"
build --features fixed-randomness
wasm-bindgen --target nodejs --out-dir "$ROOT/crypto/wasm/pkg-node" "$WASM"
echo "build.sh: wrote $ROOT/web/pkg and $ROOT/crypto/wasm/pkg-node"
