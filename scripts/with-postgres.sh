#!/bin/sh
# Runs a command with a throwaway PostgreSQL cluster, and always stops and removes it after.
#
#   scripts/with-postgres.sh [--durable] COMMAND [ARGS...]
#
# The cluster lives in a fresh folder under $TMPDIR (or /tmp): initdb with superuser "postgres",
# trust on its unix socket (in that folder), SCRAM passwords on 127.0.0.1 at a free port.
# initdb refuses to run as root, so as root the cluster belongs to the "postgres" user (or
# "nobody" when there is none). Without --durable, fsync is off: the tests kill clients, never
# the server, and speed matters more than surviving a power cut.
#
# The command sees:
#   MIGRATE_TEST_POSTGRES_URL   superuser URL over the unix socket (the tests' admin connection)
#   MIGRATE_TEST_POSTGRES_HOST  127.0.0.1
#   MIGRATE_TEST_POSTGRES_PORT  the TCP port (password logins, for tests of wrong passwords)
#   MIGRATE_TEST_POSTGRES_DIR   the cluster's folder (its socket lives there)
# Exits with the command's exit code.
set -eu

durable=no
if [ "${1:-}" = "--durable" ]; then
  durable=yes
  shift
fi
[ $# -gt 0 ] || { echo "usage: $0 [--durable] COMMAND [ARGS...]" >&2; exit 2; }

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "$0: PostgreSQL's server is not installed (Debian: apt-get install postgresql," >&2
  echo "which make deps does for you)" >&2
  exit 2
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/migrate-pg-XXXXXX")
chmod 755 "$dir"
as_owner=""
if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  id "$owner" >/dev/null 2>&1 || owner=nobody
  chown "$owner" "$dir"
  as_owner="runuser -u $owner --"
fi

cleanup() {
  $as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

$as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}

settings="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=100"
if [ "$durable" = no ]; then
  settings="$settings -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
# A free port: try random ones until the server starts (another cluster may hold one).
started=no
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  port=$(( (($$ + attempt * 7919) % 30000) + 20000 ))
  if $as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
       -o "-p $port $settings" start >/dev/null 2>&1; then
    started=yes
    break
  fi
done
if [ "$started" = no ]; then
  echo "$0: the PostgreSQL server did not start; its log:" >&2
  cat "$dir/server.log" >&2
  exit 1
fi

export MIGRATE_TEST_POSTGRES_URL="postgresql://postgres@/postgres?host=$dir&port=$port"
export MIGRATE_TEST_POSTGRES_HOST=127.0.0.1
export MIGRATE_TEST_POSTGRES_PORT=$port
export MIGRATE_TEST_POSTGRES_DIR=$dir
status=0
"$@" || status=$?
exit $status
