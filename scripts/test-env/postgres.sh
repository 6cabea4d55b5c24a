#!/usr/bin/env bash
# The real PostgreSQL for tests: the Debian server binaries (initdb, postgres, psql). Tests
# start their own throwaway cluster in a temp dir through test/helpers/postgres.ts.
#   bash scripts/test-env/postgres.sh install   # idempotent: apt-get install postgresql when initdb is missing
#   bash scripts/test-env/postgres.sh bindir    # prints the newest /usr/lib/postgresql/<v>/bin
set -euo pipefail

bindir() {
  # Newest major version first; `sort -V` orders 9.6 < 15 < 16.
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ]; then
    echo "$dir"
    return 0
  fi
  return 1
}

install() {
  if bindir >/dev/null && command -v psql >/dev/null; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL is missing and installing it needs root: sudo apt-get install -y postgresql" >&2
    exit 2
  fi
  apt-get update -qq
  # The server package brings initdb, postgres, psql and the contrib extensions
  # (pgcrypto, citext, ...), and creates the unprivileged "postgres" user that runs the
  # server when tests run as root. Debian's default cluster is not needed: tests use their own.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  bindir >/dev/null || { echo "postgresql installed but no initdb under /usr/lib/postgresql/*/bin" >&2; exit 1; }
}

case "${1:-}" in
  install) install ;;
  bindir) bindir || { echo "PostgreSQL is not installed: run 'bash scripts/test-env/postgres.sh install'" >&2; exit 2; } ;;
  *) echo "usage: $0 install|bindir" >&2; exit 2 ;;
esac
