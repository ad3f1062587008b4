#!/usr/bin/env bash
# Installs what the browser tests need, once: Debian's Chromium (the test tools' own browser
# downloads do not work here) and playwright-core to drive it. Idempotent.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v chromium >/dev/null; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium
fi
stamp=node_modules/.consigne-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund
  touch "$stamp"
fi
