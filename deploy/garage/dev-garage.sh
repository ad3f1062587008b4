#!/usr/bin/env bash
# A single-node Garage (S3) on loopback for development and tests.
#
#   dev-garage.sh start DIR [S3_PORT RPC_PORT ADMIN_PORT]   start (or restart) the node kept in DIR
#   dev-garage.sh stop DIR                                 stop it (data is kept)
#
# The first start lays out the node and creates the bucket "consigne" and an access key; every start
# writes DIR/env with the CONSIGNE_TEST_S3_* variables the tests read, and returns once the S3 API
# answers. Starting a node that is already running only waits for it.
set -euo pipefail

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR [S3_PORT RPC_PORT ADMIN_PORT]" >&2; exit 2; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
cfg="$dir/garage.toml"
pidfile="$dir/garage.pid"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

stop() {
  if running; then
    local pid; pid=$(cat "$pidfile")
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# Polls until the S3 port accepts connections (bounded: 30 s).
wait_s3() {
  local port=$1
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    running || { echo "garage exited; see $dir/garage.log" >&2; tail -20 "$dir/garage.log" >&2; return 1; }
    sleep 0.1
  done
  echo "garage did not open port $port; see $dir/garage.log" >&2; return 1
}

start() {
  command -v garage >/dev/null || { echo "garage is not installed (cargo install --locked garage)" >&2; exit 1; }
  local s3=${3:-3900} rpc=${4:-3901} admin=${5:-3903}
  if [ ! -f "$cfg" ]; then
    cat > "$cfg" <<TOML
metadata_dir = "$dir/meta"
data_dir = "$dir/data"
db_engine = "sqlite"
replication_factor = 1
rpc_bind_addr = "127.0.0.1:$rpc"
rpc_public_addr = "127.0.0.1:$rpc"
rpc_secret = "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"

[s3_api]
s3_region = "garage"
api_bind_addr = "127.0.0.1:$s3"
root_domain = ".s3.garage.localhost"

[admin]
api_bind_addr = "127.0.0.1:$admin"
TOML
  fi
  s3=$(sed -n 's/^api_bind_addr = "127.0.0.1:\([0-9]*\)"/\1/p' "$cfg" | head -1)
  if ! running; then
    # 9>&-: the server must not inherit the starters' lock, or the next start waits forever.
    nohup garage -c "$cfg" server >>"$dir/garage.log" 2>&1 9>&- &
    echo $! > "$pidfile"
  fi
  wait_s3 "$s3"
  if [ ! -f "$dir/env" ]; then
    local node key_id secret
    for _ in $(seq 1 100); do node=$(garage -c "$cfg" node id -q 2>/dev/null | cut -d@ -f1) && [ -n "$node" ] && break; sleep 0.1; done
    garage -c "$cfg" layout assign -z dc1 -c 1G "$node" >/dev/null
    garage -c "$cfg" layout apply --version 1 >/dev/null
    key_id="GK$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    garage -c "$cfg" key import --yes -n consigne-dev "$key_id" "$secret" >/dev/null
    garage -c "$cfg" bucket create consigne >/dev/null
    garage -c "$cfg" bucket allow --read --write --owner consigne --key "$key_id" >/dev/null
    cat > "$dir/env.tmp" <<ENV
export CONSIGNE_TEST_S3_ENDPOINT=http://127.0.0.1:$s3
export CONSIGNE_TEST_S3_REGION=garage
export CONSIGNE_TEST_S3_BUCKET=consigne
export CONSIGNE_TEST_S3_ACCESS_KEY_ID=$key_id
export CONSIGNE_TEST_S3_SECRET_ACCESS_KEY=$secret
ENV
    mv "$dir/env.tmp" "$dir/env"
  fi
}

case "$cmd" in
  start)
    # One starter at a time per directory (parallel test processes may all ask).
    exec 9>"$dir/.lock"; flock 9
    start "$@" ;;
  stop) stop ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
