#!/usr/bin/env bash
# Prints the path of a redis-server for the gateway's Redis tests: one already on PATH if it is Redis 6 or later (the
# first with TLS), else Debian's package, installed as root with apt-get. Progress goes to stderr; exit status 1
# with what is missing otherwise.
#
#   bash scripts/redis-server.sh      # → /usr/bin/redis-server
#
# The install is pinned to upstream Redis 7.0.15 as Debian 12 ships it, any Debian revision of it: an exact revision
# leaves the mirror when a security update replaces it. Concurrent callers are serialised with a lock.
set -euo pipefail

package_version='5:7.0.15-1~deb12u*'

found() {
  local bin major
  bin=$(command -v redis-server 2>/dev/null) || return 1
  major=$("$bin" --version | sed -n 's/.* v=\([0-9]*\)\..*/\1/p')
  [ "${major:-0}" -ge 6 ] || return 1
  echo "$bin"
}

if found; then exit 0; fi
# shellcheck source=scripts/lib/debian-package.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/debian-package.sh"
debian_install redis-server "$package_version" "install Redis (6 or later, built with TLS) and put redis-server and redis-cli on PATH"
