#!/usr/bin/env bash
# Runs every check and test of Consigne on this machine, installing what is missing first.
# This is the README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
say() { printf '\n== %s\n' "$*"; }

say "tools"
export PATH="$HOME/.cargo/bin:$PATH"
# shellcheck disable=SC1091
source deploy/local/build-cache.sh
# Test binaries of earlier checkouts are never run again (another clone path gives each a new
# name): those a day old go, so that the shared cache does not fill the disk.
find "$CARGO_TARGET_DIR/debug/deps" -maxdepth 1 -type f -perm -u+x ! -name '*.so' -mtime +0 -delete 2>/dev/null || true
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
if ! command -v garage >/dev/null; then
  echo "installing Garage (about 10 minutes, once)"
  cargo install --locked garage
fi
garage --version 2>/dev/null | head -1 || true
# The notices tests send e-mail to a real SMTP server: Python's aiosmtpd.
if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  echo "installing aiosmtpd (the SMTP server of the notices tests)"
  python3 -m pip install --user --quiet aiosmtpd || python3 -m pip install --user --quiet --break-system-packages aiosmtpd
fi
python3 -c 'import aiosmtpd; print("aiosmtpd", aiosmtpd.__version__)'
for setup in crypto/setup.sh deploy/dev-idp/setup.sh tests/browser/setup.sh; do
  if [ -f "$setup" ]; then bash "$setup"; fi
done

say "web application"
# After crypto/setup.sh (which builds web/pkg): the build, its budget, its unit tests and types.
bash web/build.sh
node web/budget.mjs
(cd web && npm run --silent test:unit && npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings)

say "PostgreSQL"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  # The machine's own cluster, started the way its image starts it.
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
fi
pg_isready -h 127.0.0.1 -p 5432

say "Garage"
garage_dir=$(mktemp -d /tmp/consigne-ci-garage.XXXXXX)
trap 'bash "$root/deploy/garage/dev-garage.sh" stop "$garage_dir" || true; rm -rf "$garage_dir"' EXIT
# Ports that nothing listens on (a node left by an interrupted run keeps its own).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
base=3920
until port_free "$base" && port_free $((base + 1)) && port_free $((base + 3)); do base=$((base + 10)); done
bash deploy/garage/dev-garage.sh start "$garage_dir" "$base" $((base + 1)) $((base + 3))
# shellcheck disable=SC1091
source "$garage_dir/env"
echo "S3 at $CONSIGNE_TEST_S3_ENDPOINT, bucket $CONSIGNE_TEST_S3_BUCKET"

say "format"
cargo fmt --all -- --check

say "clippy"
cargo clippy --workspace --all-targets -- -D warnings

say "slow 3G"
# The first screen's time on Chromium's Slow 3G figures, printed (the test fails over 3 s); the
# workspace's run below skips it, having run it here.
cargo test -p consigne-tests --test web_budget -- --nocapture

say "tests"
cargo test --workspace --no-fail-fast -- --skip the_first_screen_is_usable_within_three_seconds_on_slow_3g
