#!/usr/bin/env bash
# Creates (or reuses) the project-local virtual environment holding the pinned LiteLLM proxy that the gateway
# integration tests and bench/gateway-failover run: .venv/litellm, installed from
# scripts/litellm-requirements.txt with every package pinned by version and sha256, by the pip pinned (also by
# hash) in scripts/pip-requirements.txt, never the interpreter's bundled one.
#
#   bash scripts/litellm-venv.sh        # prints the venv's bin directory on stdout; progress goes to stderr
#
# Idempotent: when the venv exists and was built from the same lock file and Python, it returns at once.
# Concurrent callers are serialised with a lock, so the install never runs twice at the same time.
# Exit status 0 on success; 1 with a message naming what is missing (python3, venv/ensurepip, PyPI).
# Environment: PYTHON (interpreter, default python3), SWITCHYARD_LITELLM_VENV (venv path),
# PIP_INDEX_URL (PyPI mirror, default https://pypi.org/simple).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/hashed-venv.sh
source "$root/scripts/lib/hashed-venv.sh"
litellm_version=1.106.2
lock_file="$root/scripts/litellm-requirements.txt"
installer_lock="$root/scripts/pip-requirements.txt"
venv="${SWITCHYARD_LITELLM_VENV:-$root/.venv/litellm}"
python="${PYTHON:-python3}"
stamp="$venv/.switchyard-lock"

say() { echo "litellm-venv: $*" >&2; }
fail() {
  say "ERROR: $*"
  exit 1
}

# sha256sum on Linux, shasum on macOS.
file_hash() { { sha256sum "$1" 2>/dev/null || shasum -a 256 "$1"; } | cut -d' ' -f1; }

# What the venv must have been built from: both locks' hashes and the interpreter's version.
wanted_stamp() {
  local py_version
  py_version=$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
  echo "litellm=$litellm_version lock=$(file_hash "$lock_file") installer=$(file_hash "$installer_lock") python=$py_version"
}

is_current() {
  [ -x "$venv/bin/litellm" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(wanted_stamp)" ]
}

command -v "$python" >/dev/null 2>&1 || fail "'$python' not found: install Python 3.10–3.13 (with the venv module) or set PYTHON to an interpreter"
"$python" -c 'import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 13) else 1)' ||
  fail "$("$python" --version 2>&1) is not supported: LiteLLM $litellm_version needs Python 3.10–3.13 (set PYTHON to one)"
[ -f "$lock_file" ] || fail "lock file $lock_file is missing"
[ -f "$installer_lock" ] || fail "installer lock $installer_lock is missing"

if is_current; then
  echo "$venv/bin"
  exit 0
fi

mkdir -p "$(dirname "$venv")"
lock_path="$venv.install-lock"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$lock_path"
  flock 9
else
  # No flock (macOS): a lock directory, waiting at most 15 minutes for another installer.
  waited=0
  until mkdir "$lock_path.d" 2>/dev/null; do
    [ "$waited" -lt 900 ] || fail "another install has held $lock_path.d for 15 minutes; remove it if no install is running"
    sleep 2
    waited=$((waited + 2))
  done
  trap 'rmdir "$lock_path.d" 2>/dev/null || true' EXIT
fi

# Another caller may have finished the install while we waited for the lock.
if is_current; then
  echo "$venv/bin"
  exit 0
fi

"$python" -c 'import venv, ensurepip' 2>/dev/null ||
  fail "$("$python" --version 2>&1) has no venv/ensurepip module: install it (Debian/Ubuntu: apt-get install python3-venv)"

index_url="${PIP_INDEX_URL:-https://pypi.org/simple}"
"$python" - "$index_url" <<'PY' || fail "PyPI is not reachable at $index_url (set PIP_INDEX_URL to a mirror, or check the network/proxy settings)"
import sys, urllib.request
url = sys.argv[1].rstrip("/") + "/litellm/"
try:
    urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/vnd.pypi.simple.v1+json, text/html"}), timeout=20).close()
except Exception as error:  # noqa: BLE001 - any failure means the index is unusable
    print(f"litellm-venv: {url}: {error}", file=sys.stderr)
    sys.exit(1)
PY

say "creating $venv with LiteLLM $litellm_version (hash-pinned; takes a few minutes the first time)"
HASHED_VENV_WHO=litellm-venv build_hashed_venv "$python" "$venv" "$lock_file" || exit 1
installed=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("litellm"))')
[ "$installed" = "$litellm_version" ] || fail "installed litellm $installed, expected $litellm_version"
wanted_stamp >"$stamp"
say "ready: $venv (litellm $installed)"
echo "$venv/bin"
