#!/usr/bin/env bash
# Real OpenSSH for tests: the sshd daemon, the ssh client and sudo from Debian packages.
# test/helpers/sshd.ts starts one daemon per fake host on a loopback port; this script only
# makes sure the programs are there.
#   bash scripts/test-env/sshd.sh install   # idempotent: installs only what is missing
set -euo pipefail

install() {
  local missing=()
  [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
  command -v ssh >/dev/null 2>&1 && command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-client)
  command -v sudo >/dev/null 2>&1 || missing+=(sudo)
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing ${missing[*]}: run 'sudo bash scripts/test-env/sshd.sh install'" >&2
    exit 2
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # sshd refuses to start without its privilege-separation directory.
  mkdir -p /run/sshd
}

case "${1:-}" in
  install) install ;;
  *) echo "usage: $0 install" >&2; exit 2 ;;
esac
