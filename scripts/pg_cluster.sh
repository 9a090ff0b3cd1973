#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for a bench, a demo or a look by hand (docs/scale.md). The
# tests use their own (tests/support/postgres_cluster.hpp), made the same way.
#
#   scripts/pg_cluster.sh start DIR [NAME=VALUE ...]   initdb in DIR/data (if not there yet)
#                                                      and start; prints the URL
#   scripts/pg_cluster.sh stop DIR                     pg_ctl stop -m fast (DIR is kept)
#   scripts/pg_cluster.sh url DIR                      the running cluster's URL
#
# The cluster listens on 127.0.0.1 only, on a free port, with its socket in DIR/socket; its
# superuser is `muster` with trust authentication (a machine's own test cluster, never a
# deployment's). Settings are PostgreSQL's durable defaults unless NAME=VALUE says otherwise
# (e.g. synchronous_commit=off fsync=off). PostgreSQL refuses to run as root: as root, the
# cluster runs as the `postgres` system user, who must be able to reach DIR (use /tmp/...).
# The URL is postgresql://muster@127.0.0.1:PORT/postgres; `createdb -h 127.0.0.1 -p PORT
# -U muster NAME` (or CREATE DATABASE) makes a database for the hub.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  sed -n '4,8p' "$0" >&2
  exit 2
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url_of() {
  local port
  port=$(sed -n '4p' "$1/data/postmaster.pid")  # postmaster.pid's 4th line: the port
  echo "postgresql://muster@127.0.0.1:$port/postgres"
}

case "$cmd" in
start)
  mkdir -p "$dir/socket"
  dir=$(cd "$dir" && pwd)
  cd "$dir"  # the server's user may not be able to enter the caller's directory
  if [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null; then
    url_of "$dir"
    exit 0
  fi
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir" "$dir/socket"
    runuser -u postgres -- test -w "$dir" || { echo "pg_cluster: the postgres user cannot write $dir: use a directory under /tmp" >&2; exit 1; }
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir/data" -U muster --auth=trust -E UTF8 --locale=C --no-instructions >"$dir/setup.log" 2>&1 ||
      { cat "$dir/setup.log" >&2; exit 1; }
    {
      echo "listen_addresses = '127.0.0.1'"
      echo "unix_socket_directories = '$dir/socket'"
      echo "max_connections = 200"
      for setting in "${@:3}"; do echo "${setting%%=*} = '${setting#*=}'"; done
    } >>"$dir/data/postgresql.conf"
  fi
  for attempt in 1 2 3 4 5; do
    # A port nothing answers on now; if another process takes it first, try another.
    while :; do
      port=$((20000 + RANDOM % 30000))
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
    done
    echo "port = $port" >>"$dir/data/postgresql.conf"  # the last one wins
    # -w: returns once the server accepts connections.
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 120 start >>"$dir/setup.log" 2>&1; then
      url_of "$dir"
      exit 0
    fi
    grep -q "could not bind\|could not create any TCP/IP sockets" "$dir/postgres.log" || break
  done
  tail -20 "$dir/postgres.log" >&2
  exit 1
  ;;
stop)
  [ -f "$dir/data/postmaster.pid" ] || exit 0
  cd "$dir"
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  ;;
url)
  [ -f "$dir/data/postmaster.pid" ] || { echo "pg_cluster: no cluster runs in $dir" >&2; exit 1; }
  url_of "$dir"
  ;;
*)
  sed -n '4,8p' "$0" >&2
  exit 2
  ;;
esac
