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

say() { echo "redis-server.sh: $*" >&2; }
fail() {
  say "ERROR: $*"
  exit 1
}

found() {
  local bin major
  bin=$(command -v redis-server 2>/dev/null) || return 1
  major=$("$bin" --version | sed -n 's/.* v=\([0-9]*\)\..*/\1/p')
  [ "${major:-0}" -ge 6 ] || return 1
  echo "$bin"
}

if found; then exit 0; fi
command -v apt-get >/dev/null 2>&1 ||
  fail "no redis-server 6 or later on PATH and no apt-get: install Redis (6 or later, built with TLS) and put redis-server and redis-cli on PATH"
[ "$(id -u)" = 0 ] || fail "no redis-server 6 or later on PATH: run as root, or install it first (apt-get install 'redis-server=$package_version')"

exec 9>/tmp/switchyard-redis-install.lock
flock 9
if found; then exit 0; fi
say "installing redis-server=$package_version from Debian (once)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || fail "apt-get update failed (see above)"
# --no-install-recommends; the package's own service is not started in a container without systemd, and is not used:
# the tests start their own server on a free loopback port.
apt-get install -y -qq --no-install-recommends "redis-server=$package_version" >&2 ||
  fail "apt-get could not install redis-server=$package_version (see above)"
found || fail "redis-server is still not on PATH after installing redis-server=$package_version"
