#!/usr/bin/env bash
# The real AWS API for tests: moto in server mode plus the AWS CLI, in a venv cached outside
# the repo and keyed by version (a cold install takes about 30 s here; later runs reuse it).
#   bash scripts/test-env/moto.sh install   # idempotent
#   bash scripts/test-env/moto.sh start     # prints "endpoint=http://127.0.0.1:PORT pid=PID"
set -euo pipefail
MOTO_VERSION=5.2.5
AWSCLI_VERSION=1.46.3
VENV="${XDG_CACHE_HOME:-$HOME/.cache}/runestone/moto-${MOTO_VERSION}"

install() {
  if [ -f "$VENV/.installed" ]; then
    return 0
  fi
  if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    # Debian splits venv support out of python3.
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
  fi
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==${MOTO_VERSION}" "awscli==${AWSCLI_VERSION}"
  # The stamp is written last, so an interrupted install is redone next time.
  touch "$VENV/.installed"
}

start() {
  if [ ! -f "$VENV/.installed" ]; then
    echo "moto is not installed: run 'bash scripts/test-env/moto.sh install'" >&2
    exit 2
  fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  MOTO_IAM_LOAD_MANAGED_POLICIES=true MOTO_ENABLE_AMI_VALIDATION=true MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION=true \
    nohup "$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do
    if curl -fs "http://127.0.0.1:${port}/moto-api/" >/dev/null 2>&1; then
      echo "endpoint=http://127.0.0.1:${port} pid=${pid}"
      return 0
    fi
    sleep 0.1
  done
  echo "moto did not start on port ${port}" >&2
  kill "$pid" 2>/dev/null || true
  exit 1
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  venv) echo "$VENV" ;;
  *) echo "usage: $0 install|start|venv" >&2; exit 2 ;;
esac
