#!/usr/bin/env bash
# A real Kubernetes control plane for tests: kube-apiserver, etcd and kubectl built from Go modules
# at pinned versions, cached outside the repo and keyed by version. A cold build takes about
# 6.5 min on 2 cores; later runs find the stamp and do nothing. test/helpers/kube.ts starts them.
#   bash scripts/test-env/kube.sh install   # idempotent
#   bash scripts/test-env/kube.sh bin       # prints the directory holding the binaries
set -euo pipefail
KUBE_VERSION=1.35.4
# The staging repos (k8s.io/api, k8s.io/apiserver, ...) are published as v0.<minor>.<patch>.
STAGING_VERSION=0.35.4
ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/runestone/kube-${KUBE_VERSION}"
BIN="$ROOT/bin"

# Go 1.25+ from the PATH, else the toolchain zip from the Go module proxy (the only Go source
# a fresh machine here can reach; Debian 12's golang-go is 1.19), cached by version.
GO_TOOLCHAIN=go1.25.4
ensure_go() {
  if command -v go >/dev/null 2>&1 && go version | grep -Eq 'go1\.(2[5-9]|[3-9][0-9])'; then
    return 0
  fi
  local goroot="${XDG_CACHE_HOME:-$HOME/.cache}/runestone/${GO_TOOLCHAIN}"
  if [ ! -x "$goroot/bin/go" ]; then
    echo "kube.sh: fetching the ${GO_TOOLCHAIN} toolchain from the Go module proxy" >&2
    local tmp
    tmp=$(mktemp -d)
    curl -fsSL -o "$tmp/go.zip" "https://proxy.golang.org/golang.org/toolchain/@v/v0.0.1-${GO_TOOLCHAIN}.linux-amd64.zip"
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$tmp/go.zip" "$tmp/x"
    mkdir -p "$(dirname "$goroot")"
    rm -rf "$goroot"
    mv "$tmp/x/golang.org/toolchain@v0.0.1-${GO_TOOLCHAIN}.linux-amd64" "$goroot"
    chmod +x "$goroot"/bin/* "$goroot"/pkg/tool/*/* 2>/dev/null || true
    rm -rf "$tmp"
  fi
  export PATH="$goroot/bin:$PATH" GOTOOLCHAIN=local
}

install() {
  if [ -f "$BIN/.installed" ]; then
    return 0
  fi
  ensure_go
  export CGO_ENABLED=0 GOFLAGS=-mod=mod
  local src="$ROOT/src"
  rm -rf "$src" "$BIN"
  mkdir -p "$src/cmd/kube-apiserver" "$src/cmd/etcd" "$src/cmd/kubectl" "$BIN"
  cd "$src"

  # Upstream's go.mod replaces every staging repo with a local path; a module that requires
  # k8s.io/kubernetes must replace each with its published version instead.
  local upstream_mod
  upstream_mod=$(go mod download -json "k8s.io/kubernetes@v${KUBE_VERSION}" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
  if [ ! -f "$upstream_mod" ]; then
    echo "kube.sh: could not download k8s.io/kubernetes@v${KUBE_VERSION}" >&2
    exit 1
  fi
  local etcd_version
  etcd_version=$(awk '$1 == "go.etcd.io/etcd/client/v3" { print $2; exit }' "$upstream_mod")
  {
    echo "module runestone.local/kube-test-env"
    echo
    echo "go 1.25.0"
    echo
    echo "require ("
    echo "	k8s.io/kubernetes v${KUBE_VERSION}"
    echo "	go.etcd.io/etcd/server/v3 ${etcd_version}"
    echo ")"
    echo
    awk -v v="v${STAGING_VERSION}" '
      /^replace .* => \.\/staging\/src\// { print "replace " $2 " => " $2 " " v; next }
      /=> \.\/staging\/src\// { print "replace " $1 " => " $1 " " v }
    ' "$upstream_mod"
  } >go.mod

  cat >cmd/kube-apiserver/main.go <<'EOF'
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
EOF
  cat >cmd/etcd/main.go <<'EOF'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
EOF
  cat >cmd/kubectl/main.go <<'EOF'
package main

import (
	"k8s.io/component-base/cli"
	"k8s.io/kubectl/pkg/cmd"
	"k8s.io/kubectl/pkg/cmd/util"
)

func main() {
	command := cmd.NewDefaultKubectlCommand()
	if err := cli.RunNoErrOutput(command); err != nil {
		util.CheckErr(err)
	}
}
EOF
  go mod tidy
  # Upstream's build stamps the version; without it kubectl cannot parse "v0.0.0-master".
  local minor="${KUBE_VERSION#*.}"
  minor="${minor%%.*}"
  local stamp=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    stamp+=" -X ${pkg}.gitVersion=v${KUBE_VERSION} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor} -X ${pkg}.gitTreeState=clean"
  done
  for name in kube-apiserver etcd kubectl; do
    go build -trimpath -ldflags "-s -w${stamp}" -o "$BIN/$name" "./cmd/$name"
  done
  "$BIN/kubectl" version --client >/dev/null
  # The stamp is written last, so an interrupted install is redone next time.
  echo "kubernetes v${KUBE_VERSION} etcd ${etcd_version}" >"$BIN/.installed"
}

case "${1:-}" in
  install) install ;;
  bin) echo "$BIN" ;;
  *) echo "usage: $0 install|bin" >&2; exit 2 ;;
esac
