#!/usr/bin/env bash
# Sets up the pinned toolchain (Node 22 + pnpm, from the npm registry, into .toolchain/) and the
# workspace's packages, then runs one of the workspace's scripts: `bash scripts/dev.sh test`.
# Node 22 because @pulumi/pulumi >= 3.250, vitest 5 and kubernetes-models 5 declare Node >= 22,
# and the machine's Node is 20.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
node_version=22.23.3
pnpm_version=10.34.8
toolchain="$root/.toolchain"

if [ "$("$toolchain/node_modules/.bin/node" --version 2>/dev/null)" != "v$node_version" ] ||
   [ "$("$toolchain/node_modules/.bin/pnpm" --version 2>/dev/null)" != "$pnpm_version" ]; then
  echo "dev.sh: installing node@$node_version and pnpm@$pnpm_version into .toolchain/" >&2
  mkdir -p "$toolchain"
  npm install --prefix "$toolchain" --no-save --no-audit --no-fund --loglevel=error \
    "node@$node_version" "pnpm@$pnpm_version" >&2
fi
export PATH="$toolchain/node_modules/.bin:$PATH"

cd "$root"
pnpm install --frozen-lockfile --reporter=append-only >&2 || {
  echo "dev.sh: 'pnpm install --frozen-lockfile' failed; if you changed a package.json, run 'pnpm install' and commit pnpm-lock.yaml" >&2
  exit 1
}
[ $# -gt 0 ] || set -- test
exec pnpm run "$@"
