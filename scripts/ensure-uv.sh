#!/usr/bin/env bash
# Make sure uv is available (installs it with pip when missing); `--path` prints where it is.
set -euo pipefail
find_uv() {
  command -v uv 2>/dev/null && return 0
  for c in "$HOME/.local/bin/uv" "$(python3 -m site --user-base 2>/dev/null)/bin/uv"; do
    [ -x "$c" ] && { echo "$c"; return 0; }
  done
  return 1
}
if ! path=$(find_uv); then
  echo "uv ontbreekt: ik installeer het met pip..." >&2
  python3 -m pip install --quiet uv >&2 || python3 -m pip install --quiet --user uv >&2 || {
    echo "Kon uv niet installeren. Installeer Python 3.11+ met pip en probeer opnieuw." >&2; exit 1; }
  path=$(find_uv) || { echo "uv is geïnstalleerd maar niet gevonden op PATH." >&2; exit 1; }
fi
[ "${1:-}" = "--path" ] && echo "$path"
exit 0
