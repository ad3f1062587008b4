#!/usr/bin/env bash
# Builds the benchmark (and with it Consigne's server library) in release, then runs it: it creates
# its own PostgreSQL databases (dropped at the end), SQLite files and a Garage node, starts Consigne
# in-process with the development identity provider, and prints one table (written as JSON to
# bench/last-run.json, or to CONSIGNE_BENCH_JSON). Not part of the test command. Settings: see
# bench/src/main.rs.
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

cargo build --release -p consigne-bench
"$CARGO_TARGET_DIR/release/consigne-bench" "$@"
