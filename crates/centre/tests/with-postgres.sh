#!/usr/bin/env bash
# Runs a command (default: the centre's tests) against a throwaway PostgreSQL cluster:
# installs Debian's postgresql if missing, starts a cluster as the postgres user on a spare
# loopback port with fsync off, exports PF_TEST_POSTGRES_URL, runs, and stops the cluster.
# Needs root (apt-get, runuser). Usage: crates/centre/tests/with-postgres.sh [command …]
set -euo pipefail

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(pg_bin)" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
BIN="$(pg_bin)"

# A spare port: the first from 25432 nothing listens on (below Linux's ephemeral range, so no
# outgoing connection elsewhere can be holding it).
PORT="${PF_PG_PORT:-25432}"
while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done

DIR="$(mktemp -d /tmp/pf-pg.XXXXXX)"
chown postgres "$DIR"
stop() {
    runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap stop EXIT
runuser -u postgres -- "$BIN/initdb" -D "$DIR/data" -A trust -U postgres --no-sync >/dev/null
runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
    -o "-F -p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
export PF_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2

if [ "$#" -eq 0 ]; then
    set -- cargo test -p pocketfolio-centre
fi
"$@"
