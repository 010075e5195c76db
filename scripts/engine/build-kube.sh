#!/usr/bin/env bash
# Builds the Kubernetes control plane the engine tests run (test/engine/control-plane.ts), from the Go module proxy,
# into a directory outside the checkout named by a hash of its pins, and prints that directory:
#
#   bin/    kube-apiserver, kube-controller-manager, kube-scheduler   k8s.io/kubernetes (scripts/engine/kube/go.mod)
#           etcd                                                      go.etcd.io/etcd/server/v3 (kube/cmd/etcd)
#           kwok                                                      sigs.k8s.io/kwok: simulated nodes and pods
#   crds/   KEDA's CRDs, to apply     github.com/kedacore/keda/v2 at the version in scripts/scanners/schemas.txt
#   kwok/stages.yaml                  kwok's default node and pod stages (as kwokctl configures them), from its module
#
#   bash scripts/engine/build-kube.sh    # progress on stderr, the directory on stdout
#
# scripts/engine/kube/go.sum pins every module and go checks each download against it (KEDA, which is not in that
# module graph, against sum.golang.org). Cold: 10-16 minutes on 2 cores and ~4 GB of temporary module and build
# caches, deleted afterwards (~350 MB stays); a rerun takes milliseconds. Idempotent and safe to run concurrently.
# Environment: SWITCHYARD_CACHE_DIR (default ${XDG_CACHE_HOME:-~/.cache}/switchyard), GOPROXY.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/scripts/engine/kube"
schemas="$root/scripts/scanners/schemas.txt"
say() { echo "build-kube: $*" >&2; }
fail() {
  say "ERROR: $*"
  exit 1
}

command -v go >/dev/null 2>&1 || fail "'go' not found: install Go 1.26 or newer (https://go.dev/dl/) and put it on PATH"
export GOTOOLCHAIN=local GOWORK=off GO111MODULE=on CGO_ENABLED=0
# go.mod says which Go it needs; GOTOOLCHAIN=local means that Go must be the one installed.
need=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$here/go.mod")
have=$(go env GOVERSION)
[ "$(printf '%s\n' "go$need" "${have%%[-+ ]*}" | sort -V | head -1)" = "go$need" ] ||
  fail "$have is too old: scripts/engine/kube/go.mod needs Go $need or newer; install it and put it first on PATH"

keda=$(sed -n 's|^\(github\.com/kedacore/keda/v2@[^ ]*\) .*|\1|p' "$schemas")
[ -n "$keda" ] || fail "no github.com/kedacore/keda/v2@<version> line in $schemas"

# Bump when a change below alters what gets built (flags, files copied), so caches built the old way are not reused.
recipe=1
pins_hash() {
  {
    cat "$here/go.mod" "$here/go.sum" "$here"/cmd/*/main.go
    echo "$keda recipe $recipe"
    go env GOVERSION GOOS GOARCH
  } | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-16
}

# shellcheck source=../lib/pinned-cache.sh
source "$root/scripts/lib/pinned-cache.sh"
pinned_cache_dir kube "$(pins_hash)"

# Temporary caches inside the target: they hold ~8 GB while building and go once it is done, whether it worked or not.
export GOCACHE="$home/.go-build" GOMODCACHE="$home/.go-mod" GOFLAGS="-mod=readonly -modcacherw -buildvcs=false -trimpath"
cleanup() { rm -rf "$GOCACHE" "$GOMODCACHE"; }
trap cleanup EXIT
rm -rf "$home"
mkdir -p "$home/bin" "$home/crds" "$home/kwok"
cd "$here"

say "downloading the modules scripts/engine/kube/go.sum pins (GOPROXY=$(go env GOPROXY))"
go mod download >&2 ||
  fail "go mod download failed (see above): is the Go module proxy reachable (GOPROXY=$(go env GOPROXY))? A 403 from it is final for that module"

# The version the binaries report, as Kubernetes' hack/lib/version.sh sets it, from the pinned module.
kube_version=$(go list -m -f '{{.Version}}' k8s.io/kubernetes)
kube_date=$(go list -m -f '{{if .Time}}{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}{{end}}' k8s.io/kubernetes)
major=${kube_version#v}
minor=${major#*.}
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=${major%%.*} -X $pkg.gitMinor=${minor%%.*}"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=${kube_date:-1970-01-01T00:00:00Z}"
done

say "building kube-apiserver, kube-controller-manager and kube-scheduler $kube_version (~10 min cold on 2 cores)"
start=$SECONDS
go build -ldflags "$ldflags" -o "$home/bin/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler >&2 ||
  fail "go build of Kubernetes failed (see above); rerun to retry from scratch"
say "building etcd and kwok"
go build -ldflags "-s -w" -o "$home/bin/" ./cmd/etcd sigs.k8s.io/kwok/cmd/kwok >&2 ||
  fail "go build of etcd or kwok failed (see above); rerun to retry from scratch"
say "built in $((SECONDS - start)) s"
for bin in kube-apiserver kube-controller-manager kube-scheduler etcd kwok; do
  [ -x "$home/bin/$bin" ] || fail "$home/bin/$bin is missing after the build"
done
"$home/bin/kube-apiserver" --version | grep -qx "Kubernetes $kube_version" ||
  fail "kube-apiserver reports '$("$home/bin/kube-apiserver" --version)', not Kubernetes $kube_version: check the ldflags above"

# kwok runs only the stages it is given; these are the ones kwokctl gives it by default: nodes become Ready and keep
# a lease, pods become Running and Ready, complete, and go when deleted.
kwok_dir=$(go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
for stage in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
  echo "---"
  cat "$kwok_dir/kustomize/stage/$stage.yaml"
done >"$home/kwok/stages.yaml"

say "extracting KEDA's CRDs from $keda (checked against $(go env GOSUMDB))"
keda_dir=$(cd "$home" && GOFLAGS=-modcacherw go mod download -json "$keda" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p') ||
  fail "go mod download $keda failed (see above)"
if [ -z "$keda_dir" ] || ! compgen -G "$keda_dir/config/crd/bases/keda.sh_*.yaml" >/dev/null; then
  fail "no config/crd/bases/keda.sh_*.yaml in $keda (${keda_dir:-no directory})"
fi
cp "$keda_dir"/config/crd/bases/keda.sh_*.yaml "$home/crds/"
chmod u+w "$home"/crds/*.yaml

cleanup
touch "$home/.complete"
say "ready: $home"
echo "$home"
