#!/usr/bin/env bash
# Browser tests need Debian's Chromium (Playwright's own download does not work offline);
# also pdftotext and docker-compose (for the compose file check). Installed with apt-get when missing.
set -uo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v docker-compose >/dev/null || need+=(docker-compose)
[ ${#need[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "Installeren met apt-get: ${need[*]}"
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 || true
fi
[ -x /usr/bin/chromium ] || echo "Let op: Chromium ontbreekt (apt-get install chromium); browsertests worden overgeslagen." >&2
exit 0
