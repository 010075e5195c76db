# shellcheck shell=bash
# Builds a Python virtual environment from a hash-pinned lock: the pip pinned (by hash) in scripts/pip-requirements.txt
# first, never the interpreter's bundled one, then every package of the lock with --require-hashes and wheels only,
# then `pip check`. Sourced by scripts/litellm-venv.sh and scripts/scanners/install.sh.
#
#   build_hashed_venv PYTHON VENV LOCK   # replaces VENV; on failure removes it, prints why on stderr, returns 1
#
# Failure lines read "<HASHED_VENV_WHO>: ERROR: <why>" (HASHED_VENV_WHO defaults to hashed-venv).

hashed_venv_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

build_hashed_venv() {
  local python=$1 venv=$2 lock=$3
  local installer_lock="$hashed_venv_root/scripts/pip-requirements.txt"
  local index_url="${PIP_INDEX_URL:-https://pypi.org/simple}"
  rm -rf "$venv"
  if ! "$python" -m venv "$venv"; then
    hashed_venv_error "'$python -m venv' failed; install the venv module (Debian/Ubuntu: apt-get install python3-venv)"
    return 1
  fi
  # The bundled pip only installs the pinned one: a single wheel checked against its hash, no resolution.
  if ! hashed_venv_pip "$venv" --no-deps -r "$installer_lock"; then
    rm -rf "$venv"
    hashed_venv_error "could not install the pinned pip from $installer_lock via $index_url (see pip's message above)"
    return 1
  fi
  # --require-hashes: every package must match the lock's sha256, and pip refuses any requirement the lock does not
  # pin — a dependency, an extra's dependency (the lock keeps extras), or a backport an older Python needs — instead
  # of resolving it against whatever the index serves today.
  if ! hashed_venv_pip "$venv" -r "$lock"; then
    rm -rf "$venv"
    hashed_venv_error "pip could not install $lock from $index_url (see pip's message above); the lock was compiled for CPython 3.11 on Linux x86_64"
    return 1
  fi
  if ! "$venv/bin/python" -m pip check --disable-pip-version-check >&2; then
    rm -rf "$venv"
    hashed_venv_error "the packages installed from $lock conflict (pip check above): recompile the lock (see its header)"
    return 1
  fi
}

hashed_venv_pip() {
  local venv=$1
  shift
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input --require-hashes --only-binary :all: "$@" >&2
}

hashed_venv_error() {
  echo "${HASHED_VENV_WHO:-hashed-venv}: ERROR: $*" >&2
}
