#!/bin/sh
# Entry point of the local PostgreSQL image that .ci/containers/run builds. It keeps the part of the
# official postgres image's contract that Testcontainers relies on: POSTGRES_USER, POSTGRES_PASSWORD
# and POSTGRES_DB create the role and database on first start; "database system is ready to accept
# connections" is logged twice, by the set-up server and then by the real one; the arguments are a
# postgres command line ("postgres -c fsync=off").
set -eu
bin=/usr/lib/postgresql/15/bin
data=/var/lib/postgresql/data
user=${POSTGRES_USER:-postgres}
database=${POSTGRES_DB:-$user}

if [ ! -s "$data/PG_VERSION" ]; then
  mkdir -p "$data" /run/postgresql
  chown postgres:postgres "$data" /run/postgresql
  printf '%s\n' "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}" > /tmp/password
  chown postgres /tmp/password
  runuser -u postgres -- "$bin/initdb" -D "$data" -U "$user" --pwfile=/tmp/password -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm /tmp/password
  echo "host all all all scram-sha-256" >> "$data/pg_hba.conf"
  runuser -u postgres -- "$bin/pg_ctl" -D "$data" -w -o "-c listen_addresses=''" start
  if [ "$database" != postgres ]; then
    runuser -u postgres -- "$bin/psql" -q -U "$user" -d postgres -c "CREATE DATABASE \"$database\""
  fi
  runuser -u postgres -- "$bin/pg_ctl" -D "$data" -w -m fast stop
fi

if [ "${1:-}" = "postgres" ]; then
  shift
fi
exec runuser -u postgres -- "$bin/postgres" -D "$data" -c listen_addresses='*' "$@"
