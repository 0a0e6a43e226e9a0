#!/usr/bin/env bash
# Read-aloud on the server (for phones without a Dutch voice) uses Debian's espeak-ng. Without it w2 still
# runs: the speech endpoint answers 503 and the portal hides the read-aloud buttons it cannot serve.
set -uo pipefail
if ! command -v espeak-ng >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "Installeren met apt-get: espeak-ng"
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng >/dev/null 2>&1 || true
fi
command -v espeak-ng >/dev/null || echo "Let op: espeak-ng ontbreekt (apt-get install espeak-ng); de spraaktests falen in CI." >&2
exit 0
