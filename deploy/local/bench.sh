#!/usr/bin/env bash
# Builds the benchmark (and with it Consigne's server library) and the `consigne` binary in release,
# then runs it: it creates its own PostgreSQL databases (dropped at the end), SQLite files and Garage
# nodes, starts Consigne in-process (and, for the memory scenario, as its own process) with the
# development identity provider, builds the WASM package and installs bench/node's packages for the
# crypto scenario, and prints one table (written as JSON to bench/last-run.json, or to
# CONSIGNE_BENCH_JSON). Not part of the test command. Settings and the choice of scenarios
# (CONSIGNE_BENCH_ONLY): see bench/src/main.rs.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
# shellcheck disable=SC1091
source deploy/local/build-cache.sh
bash deploy/dev-idp/setup.sh
if ! command -v garage >/dev/null; then
  echo "installing Garage (about 10 minutes, once)"
  cargo install --locked garage
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
fi
pg_isready -h 127.0.0.1 -p 5432

# The server binary too: the memory scenario runs it as its own process.
cargo build --release -p consigne-bench -p consigne-server
"$CARGO_TARGET_DIR/release/consigne-bench" "$@"
