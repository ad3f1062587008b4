#!/usr/bin/env bash
# Installs the development identity provider's dependencies (npm ci) when node_modules is missing
# or older than package-lock.json. Idempotent: does nothing when already up to date.
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.consigne-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund
  touch "$stamp"
fi
