#!/usr/bin/env bash
# Start PostgreSQL and Redis for the tests when they are installed but not running;
# otherwise say exactly what is missing and fail.
set -uo pipefail
PG_URL="${W2_TEST_DATABASE_URL:-postgresql+asyncpg://postgres@127.0.0.1:5432/postgres}"
REDIS_URL="${W2_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}"
pg_host=$(python3 -c "from urllib.parse import urlparse as u; p=u('$PG_URL'.replace('+asyncpg','')); print(p.hostname or '127.0.0.1', p.port or 5432, p.username or 'postgres')")
read -r PGH PGP PGU <<<"$pg_host"
redis_hp=$(python3 -c "from urllib.parse import urlparse as u; p=u('$REDIS_URL'); print(p.hostname or '127.0.0.1', p.port or 6379)")
read -r RH RP <<<"$redis_hp"
missing=()

pg_up() { python3 - "$PGH" "$PGP" <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(1)
try: s.connect((sys.argv[1], int(sys.argv[2]))); print("up")
except OSError: pass
PY
}
redis_up() { command -v redis-cli >/dev/null && redis-cli -h "$RH" -p "$RP" ping 2>/dev/null | grep -q PONG; }

if [ -z "$(pg_up)" ]; then
  if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql >/dev/null 2>&1 && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
    ver=$(ls /etc/postgresql | sort -V | tail -1)
    echo "PostgreSQL $ver draait niet: ik start het..."
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || pg_ctlcluster "$ver" main start || true
    for _ in $(seq 1 30); do [ -n "$(pg_up)" ] && break; sleep 1; done
  fi
  [ -z "$(pg_up)" ] && missing+=("PostgreSQL op $PGH:$PGP (installeer het pakket 'postgresql' of zet W2_TEST_DATABASE_URL)")
fi

if ! redis_up; then
  if command -v redis-server >/dev/null; then
    echo "Redis draait niet: ik start het..."
    mkdir -p /tmp/w2-redis
    redis-server --daemonize yes --bind 127.0.0.1 --port "$RP" --save "" --appendonly no --dir /tmp/w2-redis \
      --logfile /tmp/w2-redis/redis.log >/dev/null 2>&1 || true
    for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
  fi
  redis_up || missing+=("Redis op $RH:$RP (installeer het pakket 'redis-server' of zet W2_TEST_REDIS_URL)")
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "De tests hebben deze diensten nodig, maar ze ontbreken:" >&2
  for m in "${missing[@]}"; do echo "  - $m" >&2; done
  exit 1
fi
echo "PostgreSQL en Redis zijn klaar."
