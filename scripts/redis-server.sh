#!/usr/bin/env bash
# Prints the path of a redis-server with TLS support for the gateway's Redis tests, installing Debian's package
# when it is missing (as root, with apt-get). Progress goes to stderr; exit status 1 with what is missing otherwise.
#
#   bash scripts/redis-server.sh      # → /usr/bin/redis-server
#
# Pinned to upstream Redis 7.0.15 as Debian 12 ships it, any Debian revision of it: an exact revision leaves the
# mirror when a security update replaces it. Concurrent callers are serialised with a lock.
set -euo pipefail

package_version='5:7.0.15-1~deb12u*'
upstream_version=7.0.15

say() { echo "redis-server.sh: $*" >&2; }
fail() {
  say "ERROR: $*"
  exit 1
}

found() {
  local bin
  bin=$(command -v redis-server 2>/dev/null) || return 1
  "$bin" --version | grep -q "v=$upstream_version " || return 1
  echo "$bin"
}

if found; then exit 0; fi
command -v apt-get >/dev/null 2>&1 ||
  fail "redis-server $upstream_version is not installed and there is no apt-get: install Redis $upstream_version (built with TLS) and put redis-server on PATH"
[ "$(id -u)" = 0 ] || fail "redis-server $upstream_version is not installed: run as root, or install it first (apt-get install 'redis-server=$package_version')"

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
found || fail "redis-server $upstream_version is still not on PATH after the install"
