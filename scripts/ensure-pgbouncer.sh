#!/usr/bin/env bash
# The PgBouncer test runs the API through Debian's pgbouncer on localhost: install it when missing.
set -uo pipefail
if ! command -v pgbouncer >/dev/null && [ ! -x /usr/sbin/pgbouncer ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "Installeren met apt-get: pgbouncer"
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null 2>&1 || true
    # The package starts its own service on 6432; the test starts its own instance, so stop that one.
    command -v service >/dev/null && service pgbouncer stop >/dev/null 2>&1 || true
  fi
fi
if command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ]; then
  echo "PgBouncer is klaar."
else
  echo "Let op: pgbouncer ontbreekt (apt-get install pgbouncer); de PgBouncer-test faalt." >&2
fi
exit 0
