#!/usr/bin/env bash
# Prints the path of a prometheus for the scaling tests: one already on PATH if it is Prometheus 2, else Debian's
# package, installed as root with apt-get. Progress goes to stderr; exit status 1 with what is missing otherwise.
#
#   bash scripts/prometheus.sh      # → /usr/bin/prometheus
#
# The install is pinned to upstream Prometheus 2.42.0 as Debian 12 ships it, any Debian revision of it: an exact
# revision leaves the mirror when a security update replaces it. Concurrent callers are serialised with a lock.
set -euo pipefail

package_version='2.42.0+ds-5+deb12u*'

found() {
  local bin
  bin=$(command -v prometheus 2>/dev/null) || return 1
  "$bin" --version 2>&1 | grep -q '^prometheus, version 2\.' || return 1
  echo "$bin"
}

if found; then exit 0; fi
# shellcheck source=scripts/lib/debian-package.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/debian-package.sh"
debian_install prometheus "$package_version" "install Prometheus 2 and put prometheus on PATH"
