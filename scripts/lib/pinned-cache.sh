# shellcheck shell=bash
# A build cached outside the checkout in a directory named by a hash of its pins. Sourced by the scripts that build
# pinned tools (scripts/scanners/install.sh, scripts/engine/build-*.sh).
#
#   pinned_cache_dir <name> <pins hash> [<command run when the directory is complete>]
#
# Sets `home` to $SWITCHYARD_CACHE_DIR/<name>-<hash> (default cache ${XDG_CACHE_HOME:-~/.cache}/switchyard). When
# `$home/.complete` exists it runs the command, prints the directory and exits the calling script: a warm run. Else
# it takes the directory's lock, so concurrent runs wait for one build and then find it complete, and returns.
pinned_cache_dir() {
  local cache="${SWITCHYARD_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/switchyard}" on_complete="${3:-:}"
  home="$cache/$1-$2"
  if [ -f "$home/.complete" ]; then
    "$on_complete"
    echo "$home"
    exit 0
  fi
  mkdir -p "$cache"
  exec 9>"$home.lock"
  if command -v flock >/dev/null 2>&1; then flock 9; fi
  if [ -f "$home/.complete" ]; then
    "$on_complete"
    echo "$home"
    exit 0
  fi
}
