#!/usr/bin/env bash
# Installs what the browser tests need, once: Debian's Chromium (the test tools' own browser
# downloads do not work here) and playwright-core to drive it. Idempotent.
set -euo pipefail
cd "$(dirname "$0")"
# Also the independent readers the web application's unit tests check their output with:
# poppler (pdfinfo, pdftoppm) and libjpeg's djpeg for the PDF of photos, Info-ZIP's unzip for the
# export archive.
missing=""
for pair in chromium:chromium pdfinfo:poppler-utils pdftoppm:poppler-utils djpeg:libjpeg-turbo-progs \
  unzip:unzip; do
  command -v "${pair%%:*}" >/dev/null || missing="$missing ${pair##*:}"
done
if [ -n "$missing" ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq $(echo $missing | tr ' ' '\n' | sort -u)
fi
stamp=node_modules/.consigne-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund
  touch "$stamp"
fi
