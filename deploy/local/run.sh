#!/usr/bin/env bash
# Runs Consigne on its embedded default: SQLite in var/, documents in var/blobs, plain HTTP on
# localhost, and the development identity provider (deploy/dev-idp) for both kinds of login.
# This is the README's run command. Every CONSIGNE_* variable already set wins over these defaults.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
# shellcheck disable=SC1091
source deploy/local/build-cache.sh

bash crypto/wasm/build.sh
bash web/build.sh
bash deploy/dev-idp/setup.sh
# The development profile: the server only moves ciphertext, and this build shares its cache with
# the tests. A production build is `cargo build --release -p consigne-server`.
cargo build -p consigne-server
mkdir -p var

# Server keys for this installation, made once and kept in var/ (never committed).
if [ ! -f var/dev-keys.env ]; then
  umask 077
  {
    echo "CONSIGNE_AUTH_SUBJECT_KEY=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
    echo "CONSIGNE_AUTH_ENCRYPTION_KEY=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
  } > var/dev-keys.env
fi
set -a
# shellcheck disable=SC1091
source var/dev-keys.env
set +a

public_url=${CONSIGNE_SERVER_PUBLIC_URL:-http://localhost:8080}
idp_port=${DEV_IDP_PORT:-9000}
idp_url="http://localhost:$idp_port"
export CONSIGNE_AUTH_USAGER_ISSUER=${CONSIGNE_AUTH_USAGER_ISSUER:-$idp_url}
export CONSIGNE_AUTH_USAGER_CLIENT_ID=${CONSIGNE_AUTH_USAGER_CLIENT_ID:-consigne-usager}
export CONSIGNE_AUTH_USAGER_CLIENT_SECRET=${CONSIGNE_AUTH_USAGER_CLIENT_SECRET:-dev-usager-secret-0123456789abcdef}
export CONSIGNE_AUTH_AIDANT_ISSUER=${CONSIGNE_AUTH_AIDANT_ISSUER:-$idp_url}
export CONSIGNE_AUTH_AIDANT_CLIENT_ID=${CONSIGNE_AUTH_AIDANT_CLIENT_ID:-consigne-aidant}
export CONSIGNE_AUTH_AIDANT_CLIENT_SECRET=${CONSIGNE_AUTH_AIDANT_CLIENT_SECRET:-dev-aidant-secret-0123456789abcdef}

DEV_IDP_PORT=$idp_port DEV_IDP_ISSUER=$idp_url DEV_IDP_CONSIGNE_URL=$public_url \
  node deploy/dev-idp/server.mjs > var/dev-idp.log 2>&1 &
idp_pid=$!
trap 'kill "$idp_pid" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do
  curl -fs "$idp_url/.well-known/openid-configuration" >/dev/null 2>&1 && break
  kill -0 "$idp_pid" 2>/dev/null || { cat var/dev-idp.log; exit 1; }
  sleep 0.1
done
echo "Fournisseur d'identité de développement : $idp_url (journal : var/dev-idp.log)"
echo "Consigne démarre ; ouvrez $public_url dans un navigateur (Ctrl+C pour arrêter)."
"$CARGO_TARGET_DIR/debug/consigne" serve &
server_pid=$!
trap 'kill "$server_pid" "$idp_pid" 2>/dev/null || true' EXIT INT TERM
wait "$server_pid"
