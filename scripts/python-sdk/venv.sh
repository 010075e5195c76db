#!/usr/bin/env bash
# Builds (or reuses) a Python virtual environment with the Pulumi Python SDK, for programs that use Switchyard's
# components through the Python SDK `pulumi package gen-sdk` writes from packages/provider/schema.json. Every package
# is pinned by version and sha256 (requirements.txt here), installed by the pip pinned in scripts/pip-requirements.txt.
# The venv lives outside the checkout, in a directory named by a hash of the pins; the script prints that directory
# (its venv is <dir>/venv):
#
#   bash scripts/python-sdk/venv.sh     # progress on stderr, the directory on stdout
#
# Idempotent and safe to run concurrently. Environment: SWITCHYARD_CACHE_DIR (default
# ${XDG_CACHE_HOME:-~/.cache}/switchyard), PYTHON (default python3), PIP_INDEX_URL.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/scripts/python-sdk"
python="${PYTHON:-python3}"
# shellcheck source=../lib/hashed-venv.sh
source "$root/scripts/lib/hashed-venv.sh"

command -v "$python" >/dev/null 2>&1 || { echo "python-sdk: ERROR: '$python' not found: install Python 3.10–3.13 or set PYTHON" >&2; exit 1; }
"$python" -c 'import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 13) else 1)' ||
  { echo "python-sdk: ERROR: $("$python" --version 2>&1) is not supported: the lock is for Python 3.10–3.13 (set PYTHON to one)" >&2; exit 1; }

pins_hash() {
  {
    cat "$here/requirements.txt" "$root/scripts/pip-requirements.txt"
    "$python" -c 'import sys; print(sys.version_info[:3])'
  } | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-16
}

# shellcheck source=../lib/pinned-cache.sh
source "$root/scripts/lib/pinned-cache.sh"
pinned_cache_dir pulumi-python "$(pins_hash)"

echo "python-sdk: installing the Pulumi Python SDK from $here/requirements.txt into $home/venv" >&2
rm -rf "$home"
mkdir -p "$home"
HASHED_VENV_WHO=python-sdk build_hashed_venv "$python" "$home/venv" "$here/requirements.txt" || exit 1
touch "$home/.complete"
echo "$home"
