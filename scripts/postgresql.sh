#!/usr/bin/env bash
# Prints the directory of a PostgreSQL server's programs (initdb, pg_ctl, postgres, psql) for the tests that read
# LiteLLM's spend logs: Debian's PostgreSQL 15 if it is there, else one on PATH, else Debian's package, installed as
# root with apt-get. Progress goes to stderr; exit status 1 with what is missing otherwise.
#
#   bash scripts/postgresql.sh      # → /usr/lib/postgresql/15/bin
#
# The install is pinned to PostgreSQL 15 as Debian 12 ships it, any minor release and Debian revision of it: an exact
# revision leaves the mirror when a security update replaces it. Concurrent callers are serialised with a lock.
set -euo pipefail

package_version='15.*'

found() {
  local dir
  for dir in /usr/lib/postgresql/15/bin "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/psql" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if found; then exit 0; fi
# shellcheck source=scripts/lib/debian-package.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/debian-package.sh"
debian_install postgresql-15 "$package_version" "install PostgreSQL (initdb, pg_ctl and psql in one directory) and put initdb on PATH"
