#!/usr/bin/env bash
# mypy on w2: lay the folders out as the `w2.*` packages mypy resolves (setuptools maps them at install time).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
shadow="$(mktemp -d)"
trap 'rm -rf "$shadow"' EXIT
mkdir -p "$shadow/w2"
for d in platform consent meetings instruments notifications reports; do
    [ -d "$root/$d" ] && ln -s "$root/$d" "$shadow/w2/$d"
done
MYPYPATH="$shadow" exec "${UV:-uv}" run mypy --cache-dir "$root/.mypy_cache" -p w2.platform -p w2.consent "$@"
