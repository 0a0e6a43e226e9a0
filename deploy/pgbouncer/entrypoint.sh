#!/bin/sh
# Write the config from the environment, then run PgBouncer in the foreground.
set -eu
: "${W2_APP_PASSWORD:?set W2_APP_PASSWORD}"
dir=/tmp/pgbouncer
mkdir -p "$dir"
printf '"w2_app" "%s"\n' "$W2_APP_PASSWORD" > "$dir/users.txt"
cat > "$dir/pgbouncer.ini" <<INI
[databases]
w2 = host=${PGBOUNCER_DB_HOST:-postgres} port=${PGBOUNCER_DB_PORT:-5432} dbname=w2
[pgbouncer]
listen_addr = 0.0.0.0
listen_port = 6432
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/users.txt
; Transaction pooling: w2 keeps every row-level-security setting transaction-local (set_config(.., true)),
; and its asyncpg engine runs without a statement cache (W2_DATABASE_PGBOUNCER=1).
pool_mode = transaction
default_pool_size = ${PGBOUNCER_POOL_SIZE:-20}
max_client_conn = ${PGBOUNCER_MAX_CLIENTS:-500}
server_reset_query =
ignore_startup_parameters = extra_float_digits
INI
exec pgbouncer "$dir/pgbouncer.ini"
