#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for development, tests and benchmarks.
#
#   infra/postgres.sh start   [--dir DIR] [--port N] [--max-connections N]
#   infra/postgres.sh stop    [--dir DIR]
#   infra/postgres.sh restart [--dir DIR] [--max-connections N]
#   infra/postgres.sh status  [--dir DIR]
#
# The cluster lives in DIR (default .local/postgres, git-ignored): data, unix socket, log, and an
# `env` file with the connection settings, which `start` also prints. It listens on 127.0.0.1 on a
# free port with a random password for the `bulkdurable` role, owner of the `bulkdurable` database.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd=${1:-}; shift || true
dir="$LOCAL_DIR/postgres"; port=""; max_connections=""
while [ $# -gt 0 ]; do
  case $1 in
    --dir) dir=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --max-connections) max_connections=$2; shift 2 ;;
    *) die "unknown option: $1" ;;
  esac
done
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
bin=$(pg_bindir)
data="$dir/data"; sock="$dir/socket"; logfile="$dir/postgres.log"; envfile="$dir/env"

server_options() {
  local opts="-c listen_addresses=127.0.0.1 -c port=$1 -c unix_socket_directories=$sock"
  # Server defaults (fsync, synchronous_commit) stay on so that crash tests and benchmarks mean what
  # they would on a real server; only checkpoints are spaced out for bulk loading.
  opts+=" -c max_wal_size=4GB -c checkpoint_timeout=30min"
  opts+=" -c shared_buffers=512MB -c maintenance_work_mem=256MB -c log_min_messages=warning"
  [ -n "$max_connections" ] && opts+=" -c max_connections=$max_connections"
  printf '%s' "$opts"
}

start() {
  if [ -f "$data/postmaster.pid" ] && as_pg_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "PostgreSQL already running in $dir"
    cat "$envfile"
    return 0
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data" "$sock"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
    local password pwfile
    password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
    pwfile="$dir/.pw"
    (umask 077; printf '%s\n' "$password" >"$pwfile")
    [ "$(id -u)" = 0 ] && chown postgres: "$pwfile"
    as_pg_owner "$bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  fi
  [ -n "$port" ] || port=$(cat "$dir/port" 2>/dev/null || free_port)
  echo "$port" >"$dir/port"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir/port"
  as_pg_owner "$bin/pg_ctl" -D "$data" -l "$logfile" -w -t 60 -o "$(server_options "$port")" start >/dev/null \
    || { tail -n 20 "$logfile" >&2; die "PostgreSQL did not start"; }

  local password
  password=$(cat "$dir/.pw")
  as_pg_owner "$bin/psql" -h "$sock" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >/dev/null <<SQL
SELECT 'CREATE ROLE bulkdurable LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bulkdurable') \gexec
ALTER ROLE bulkdurable PASSWORD '$password';
SELECT 'CREATE DATABASE bulkdurable OWNER bulkdurable' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'bulkdurable') \gexec
SQL
  write_env "$envfile" \
    "BULKDURABLE_PG_DIR=$dir" \
    "BULKDURABLE_PG_PORT=$port" \
    "BULKDURABLE_PG_SOCKET=$sock" \
    "BulkDurable__Postgres__ConnectionString=Host=127.0.0.1;Port=$port;Database=bulkdurable;Username=bulkdurable;Password=$password"
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$port (data in $data)"
  cat "$envfile"
}

stop() {
  if [ -f "$data/postmaster.pid" ]; then
    as_pg_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    log "PostgreSQL in $dir stopped"
  fi
}

case $cmd in
  start) start ;;
  stop) stop ;;
  restart)
    port=$(cat "$dir/port")
    as_pg_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    start >/dev/null ;;
  status) as_pg_owner "$bin/pg_ctl" -D "$data" status ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
