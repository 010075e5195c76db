# shellcheck shell=bash
# Installs one pinned Debian package with apt-get, as root, once however many callers ask at the same time (a lock
# per package). Sourced by the scripts that provide a Debian tool to the tests (redis-server.sh, prometheus.sh),
# which define `found` (prints the tool's path when a usable one is on PATH) first.
#
#   debian_install <package> <version glob> <what to install by hand when this cannot>

say() { echo "$(basename "$0"): $*" >&2; }
fail() {
  say "ERROR: $*"
  exit 1
}
debian_install() {
  local package=$1 version=$2 manual=$3
  command -v apt-get >/dev/null 2>&1 || fail "no usable $package on PATH and no apt-get: $manual"
  [ "$(id -u)" = 0 ] || fail "no usable $package on PATH: run as root, or install it first (apt-get install '$package=$version')"
  exec 9>"/tmp/switchyard-$package-install.lock"
  flock 9
  if found; then return 0; fi
  say "installing $package=$version from Debian (once)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || fail "apt-get update failed (see above)"
  # --no-install-recommends; the package's own service is not started in a container without systemd, and is not
  # used: the tests start their own on a free loopback port.
  apt-get install -y -qq --no-install-recommends "$package=$version" >&2 ||
    fail "apt-get could not install $package=$version (see above)"
  found || fail "$package is still not usable after installing $package=$version"
}
