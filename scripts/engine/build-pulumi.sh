#!/usr/bin/env bash
# Builds the real Pulumi engine pieces from Go modules only, into a directory outside the checkout named by a hash of
# their pins, and prints that directory:
#
#   bin/pulumi                          the Pulumi CLI, github.com/pulumi/pulumi/pkg/v3/cmd/pulumi, built in the
#                                       wrapper module scripts/engine/pulumi/cli (go.mod + go.sum pin every module)
#   bin/pulumi-resource-pulumi-nodejs   the dynamic-provider launcher (scripts/engine/pulumi-resource-pulumi-nodejs)
#   bin/pulumi-language-python          SDK generation only (`pulumi package gen-sdk --language python`): pkg/v3's
#                                       Python code generator behind the language plugin interface, built from
#                                       scripts/engine/pulumi/cli/python-sdkgen in the CLI's module (the Python
#                                       language host itself is not served by the Go module proxy)
#   pulumi-home/                        a PULUMI_HOME with the kubernetes resource provider installed at the version the
#                                       workspace's @pulumi/kubernetes asks for; built from
#                                       github.com/pulumi/pulumi-kubernetes/provider/v4 in the wrapper module
#                                       scripts/engine/pulumi/kubernetes, its embedded schema written by ./gen there
#
#   bash scripts/engine/build-pulumi.sh   # progress on stderr, the directory on stdout
#
# Then, with Node on PATH, for a local file backend:
#   PATH=<dir>/bin:$PATH PULUMI_HOME=<dir>/pulumi-home PULUMI_BACKEND_URL=file://<state dir> \
#   PULUMI_CONFIG_PASSPHRASE=<test value> PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
# The Node.js language host is not served by the Go module proxy: run programs inline through
# @pulumi/pulumi/automation (LocalWorkspace.createOrSelectStack({ stackName, projectName, program })).
#
# A cold build takes ~10-15 min on 2 cores and ~10 GB of scratch disk (module and build caches inside the directory,
# deleted once the build succeeds); the result is ~0.3 GB. Idempotent and safe to run concurrently; a rerun against a
# complete directory returns at once. Environment: SWITCHYARD_CACHE_DIR (default ${XDG_CACHE_HOME:-~/.cache}/switchyard),
# GOPROXY, GOFLAGS, GONOSUMDB and the rest of go's own (GOTOOLCHAIN is forced to local), CGO_ENABLED (default 0).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/scripts/engine"
pins="$here/pulumi"
launcher="$here/pulumi-resource-pulumi-nodejs"
lockfile="$root/pnpm-lock.yaml"
say() { echo "pulumi-engine: $*" >&2; }
fail() {
  say "ERROR: $*"
  exit 1
}

export GOTOOLCHAIN=local GOWORK=off
export CGO_ENABLED="${CGO_ENABLED:-0}"
command -v go >/dev/null 2>&1 || fail "'go' not found: install Go (>= the 'go' line of $pins/cli/go.mod); the Pulumi CLI and the kubernetes provider are built from the Go module proxy"

# The kubernetes provider must report the version of the @pulumi/kubernetes the components run with, or the engine
# warns on every run: the lockfile's resolution (package.json asks for a range, as a published library should).
k8s_version=$(awk -v q="'" '
  /^  packages\/components:$/ { inside = 1; next }
  inside && /^  [^ ]/ { exit }
  inside && $0 ~ "^      " q "@pulumi/kubernetes" q ":$" { found = 1; next }
  found && /^        version:/ { sub(/\(.*/, "", $2); print $2; exit }
' "$lockfile")
[[ "$k8s_version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
  fail "cannot read the @pulumi/kubernetes version packages/components resolves to from $lockfile (found '$k8s_version'): run 'pnpm install' and commit pnpm-lock.yaml"

# Bump when a change below alters what gets built (flags, files copied), so caches built the old way are not reused.
recipe=2
# Everything the build depends on: the wrapper modules, the generator, the launcher, the provider's version, the
# recipe and the Go toolchain.
pins_hash() {
  {
    cat "$pins/cli/go.mod" "$pins/cli/go.sum" "$pins/cli/python-sdkgen/main.go" "$pins/kubernetes/go.mod" "$pins/kubernetes/go.sum" "$pins/kubernetes/gen/main.go"
    cat "$launcher"
    echo "kubernetes=$k8s_version cgo=$CGO_ENABLED recipe=$recipe"
    go env GOVERSION
  } | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-16
}

# The launcher falls back to the checkout that last asked for this directory (an inline Automation API program runs in
# a temporary directory, where Node cannot resolve @pulumi/pulumi).
record_checkout() {
  [ "$(cat "$home/checkout" 2>/dev/null)" = "$root" ] && return 0
  { printf '%s\n' "$root" >"$home/checkout.$$" && mv -f "$home/checkout.$$" "$home/checkout"; } 2>/dev/null || true
}

# shellcheck source=../lib/pinned-cache.sh
source "$root/scripts/lib/pinned-cache.sh"
pinned_cache_dir pulumi-engine "$(pins_hash)" record_checkout

# The module cache is read-only on disk: make it writable before removing it.
remove() {
  if [ -e "$1" ]; then
    chmod -R u+w "$1" 2>/dev/null || true
    rm -rf "$1"
  fi
}

# go.mod's `go` line is the oldest toolchain that builds the module; GOTOOLCHAIN=local never downloads a newer one.
have=$(go env GOVERSION)
have=${have#go}
for mod in "$pins/cli/go.mod" "$pins/kubernetes/go.mod"; do
  need=$(awk '$1 == "go" { print $2; exit }' "$mod")
  [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -n 1)" = "$need" ] ||
    fail "Go $have is older than the go $need that $mod asks for: install Go >= $need (this script does not download toolchains)"
done

# module_version MODDIR MODULE: the version MODDIR's go.mod requires MODULE at.
module_version() { (cd "$1" && go list -mod=readonly -m -f '{{.Version}}' "$2"); }

remove "$home"
# A failed or interrupted build leaves nothing behind: its scratch caches are ~10 GB and a rerun starts afresh anyway.
trap '[ -f "$home/.complete" ] || remove "$home"' EXIT
tmp="$home/tmp"
mkdir -p "$home/bin" "$tmp"
export GOCACHE="$tmp/gocache" GOMODCACHE="$tmp/gomodcache"
goproxy_hint="is the Go module proxy reachable (GOPROXY=$(go env GOPROXY))?"

say "into $home (scratch module and build caches in $tmp, removed when done)"
cli_version=$(module_version "$pins/cli" github.com/pulumi/pulumi/pkg/v3) ||
  fail "cannot read the pkg/v3 version from $pins/cli/go.mod (see above); $goproxy_hint"
sdk_version=$(module_version "$pins/cli" github.com/pulumi/pulumi/sdk/v3) || fail "cannot read the sdk/v3 version from $pins/cli/go.mod (see above)"
[ "$cli_version" = "$sdk_version" ] ||
  fail "$pins/cli/go.mod requires pkg/v3 $cli_version but sdk/v3 $sdk_version: pkg/v3 is built against the sdk of its own version, so require both at one version and run 'go mod tidy' there"

say "building the Pulumi CLI $cli_version (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)"
(cd "$pins/cli" && go build -mod=readonly -trimpath -o "$home/bin/pulumi" \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$cli_version" \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) >&2 ||
  fail "building the Pulumi CLI failed (see above); $goproxy_hint A 'missing go.sum entry' means $pins/cli/go.mod was edited without 'go mod tidy'"

say "building pulumi-language-python for SDK generation (scripts/engine/pulumi/cli/python-sdkgen)"
(cd "$pins/cli" && go build -mod=readonly -trimpath -o "$home/bin/pulumi-language-python" \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$cli_version" ./python-sdkgen) >&2 ||
  fail "building pulumi-language-python (SDK generation) failed (see above); $goproxy_hint"

# The provider's main package embeds files its `go generate` writes next to it, and the module cache is read-only (and
# -overlay may not replace files in it): build its main.go, copied from the module, in a copy of the wrapper module,
# with ./gen writing the embedded files beside it.
say "building the kubernetes provider $k8s_version (github.com/pulumi/pulumi-kubernetes/provider/v4/cmd/pulumi-resource-kubernetes)"
src="$tmp/kubernetes"
mkdir -p "$src"
cp -R "$pins/kubernetes/go.mod" "$pins/kubernetes/go.sum" "$pins/kubernetes/gen" "$src/"
provider_dir=$(cd "$src" && go mod download -json github.com/pulumi/pulumi-kubernetes/provider/v4 | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p') ||
  fail "cannot download github.com/pulumi/pulumi-kubernetes/provider/v4 (see above); $goproxy_hint"
[ -f "$provider_dir/cmd/pulumi-resource-kubernetes/main.go" ] ||
  fail "$provider_dir/cmd/pulumi-resource-kubernetes/main.go is missing: the provider/v4 version in $pins/kubernetes/go.mod no longer has that layout"
cp "$provider_dir/cmd/pulumi-resource-kubernetes/main.go" "$src/main.go"
chmod u+w "$src/main.go"
(cd "$src" && go run -mod=readonly ./gen -version "$k8s_version" -src "$provider_dir/cmd/pulumi-resource-kubernetes" -out .) >&2 ||
  fail "could not write the provider's schema-embed.json and terraform-mapping-embed.json (see above)"
(cd "$src" && go build -mod=readonly -trimpath -o "$tmp/pulumi-resource-kubernetes" \
  -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$k8s_version" .) >&2 ||
  fail "building the kubernetes provider failed (see above); $goproxy_hint Linking it takes ~5 GB of memory"

say "installing the kubernetes provider into $home/pulumi-home"
PULUMI_HOME="$home/pulumi-home" PULUMI_SKIP_UPDATE_CHECK=true \
  "$home/bin/pulumi" plugin install resource kubernetes "$k8s_version" --file "$tmp/pulumi-resource-kubernetes" >&2 ||
  fail "'pulumi plugin install resource kubernetes $k8s_version --file …' failed (see above)"
plugins=$(PULUMI_HOME="$home/pulumi-home" PULUMI_SKIP_UPDATE_CHECK=true "$home/bin/pulumi" plugin ls) ||
  fail "'pulumi plugin ls' failed (see above)"
grep -Eq "^kubernetes[[:space:]]+resource[[:space:]]+${k8s_version//./\\.}[[:space:]]" <<<"$plugins" ||
  fail "'pulumi plugin ls' does not list the kubernetes provider $k8s_version after installing it: $plugins"

cp "$launcher" "$home/bin/pulumi-resource-pulumi-nodejs"
chmod 755 "$home/bin/pulumi-resource-pulumi-nodejs"

say "removing the scratch caches ($(du -sh "$tmp" 2>/dev/null | cut -f1))"
remove "$tmp"
record_checkout
touch "$home/.complete"
say "ready: $home ($(du -sh "$home" 2>/dev/null | cut -f1))"
echo "$home"
