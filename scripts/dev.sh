#!/usr/bin/env bash
# Sets up the pinned toolchain (Node 22 + pnpm, from the npm registry, into .toolchain/) and the
# workspace's packages, then runs one of the workspace's scripts: `bash scripts/dev.sh test`.
# Node 22 because @pulumi/pulumi >= 3.250, vitest 5 and kubernetes-models 5 declare Node >= 22,
# and the machine's Node is 20.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
toolchain="$root/.toolchain"
# Node and pnpm are locked with integrity hashes in scripts/toolchain/package-lock.json (Node from the per-platform
# packages node-<os>-<cpu>, so no install script resolves anything at install time); the stamp is that lock's hash.
toolchain_lock="$root/scripts/toolchain/package-lock.json"
lock_hash() { { sha256sum "$1" 2>/dev/null || shasum -a 256 "$1"; } | cut -d' ' -f1; }
toolchain_stamp="$toolchain/.switchyard-lock"

if [ ! -x "$toolchain/node_modules/.bin/node" ] || [ ! -x "$toolchain/node_modules/.bin/pnpm" ] ||
   [ "$(cat "$toolchain_stamp" 2>/dev/null)" != "$(lock_hash "$toolchain_lock")" ]; then
  echo "dev.sh: installing Node and pnpm from scripts/toolchain/package-lock.json into .toolchain/" >&2
  command -v npm >/dev/null 2>&1 || { echo "dev.sh: npm not found: install Node.js (any version with npm >= 7) to bootstrap the pinned toolchain" >&2; exit 1; }
  rm -rf "$toolchain"
  mkdir -p "$toolchain"
  cp "$root/scripts/toolchain/package.json" "$toolchain_lock" "$toolchain/"
  npm ci --prefix "$toolchain" --ignore-scripts --no-audit --no-fund --loglevel=error >&2
  [ -x "$toolchain/node_modules/.bin/node" ] || {
    echo "dev.sh: npm has no Node build in scripts/toolchain/package-lock.json for $(uname -s)-$(uname -m); it carries linux-x64, linux-arm64 and darwin-x64 (the npm registry publishes no darwin-arm64 build of this Node version)" >&2
    exit 1
  }
  lock_hash "$toolchain_lock" >"$toolchain_stamp"
fi
export PATH="$toolchain/node_modules/.bin:$PATH"

# `dev.sh switchyard …` takes paths as its caller wrote them: relative to where it was run, not to the checkout.
if [ "${1:-}" = switchyard ]; then export SWITCHYARD_CWD="${SWITCHYARD_CWD:-$PWD}"; fi
cd "$root"
pnpm install --frozen-lockfile --reporter=append-only >&2 || {
  echo "dev.sh: 'pnpm install --frozen-lockfile' failed; if you changed a package.json, run 'pnpm install' and commit pnpm-lock.yaml" >&2
  exit 1
}
[ $# -gt 0 ] || set -- test
# --silent: the run's own closing line stays its last line (no ELIFECYCLE banner after it).
exec pnpm --silent run "$@"
