#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on loopback for the tests and prints its URL.
#
#   eval "$(bash scripts/test-postgres.sh)"          # fast: exports XASO_TEST_PG_URL (port 54329)
#   eval "$(bash scripts/test-postgres.sh durable)"  # durable: exports XASO_DURABLE_PG_URL (port 54330)
#
# fast    — FOR ORDINARY UNIT TESTS ONLY: fsync, synchronous_commit and full_page_writes are OFF,
#           so a crash of the machine can lose committed data. It proves nothing about durability.
# durable — PostgreSQL's production durability settings (fsync, synchronous_commit, full_page_writes
#           on), in its own directory and port: the crash test (src/dossiers/crash.test.ts) and the
#           benchmarks (bench/lib/postgres.ts) use this one.
set -euo pipefail
MODE="${1:-fast}"
case "$MODE" in
  fast)
    PORT="${XASO_TEST_PG_PORT:-54329}"
    DIR="${XASO_TEST_PG_DIR:-/tmp/xaso-test-pg}"
    VAR=XASO_TEST_PG_URL
    SETTINGS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    ;;
  durable)
    PORT="${XASO_DURABLE_PG_PORT:-54330}"
    DIR="${XASO_DURABLE_PG_DIR:-/tmp/xaso-durable-pg}"
    VAR=XASO_DURABLE_PG_URL
    SETTINGS="-c fsync=on -c synchronous_commit=on -c full_page_writes=on -c wal_sync_method=fdatasync"
    ;;
  *)
    echo "usage: bash scripts/test-postgres.sh [fast|durable]" >&2
    exit 2
    ;;
esac
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
    -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DIR $SETTINGS -c max_connections=200" start >/dev/null
fi
echo "export $VAR=postgres://postgres@127.0.0.1:$PORT/postgres"
