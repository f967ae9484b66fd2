#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on loopback for the test suite and prints its URL.
# Usage: eval "$(bash scripts/test-postgres.sh)"   (exports XASO_TEST_PG_URL)
set -euo pipefail
PORT="${XASO_TEST_PG_PORT:-54329}"
DIR="${XASO_TEST_PG_DIR:-/tmp/xaso-test-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "PostgreSQL server binaries not found (apt-get install -y postgresql)" >&2
  exit 1
fi
RUN_AS=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
  RUN_AS=(runuser -u postgres --)
fi
if ! "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = "0" ] && chown postgres "$DIR"
  "${RUN_AS[@]}" "$BIN/initdb" -D "$DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
fi
echo "export XASO_TEST_PG_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
