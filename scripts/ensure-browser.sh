#!/usr/bin/env bash
# Browser tests need Debian's Chromium (Playwright's own download does not work offline), axe-core from
# the npm registry (pinned in package-lock.json), pdftotext and docker-compose (for the compose file check).
# The sign-in tests start oidc-provider (also pinned there) on Node.js as a real OpenID provider.
set -uo pipefail
cd "$(dirname "$0")/.."
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "Installeren met apt-get: ${need[*]}"
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 || true
fi
if { [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/oidc-provider/package.json ]; } \
   && command -v npm >/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null || echo "Let op: npm ci is mislukt (axe-core, oidc-provider)." >&2
fi
[ -x /usr/bin/chromium ] || echo "Let op: Chromium ontbreekt (apt-get install chromium); browsertests falen in CI." >&2
exit 0
