#!/usr/bin/env bash
# Azurite (Blob, Queue and Table emulator) for development, tests and benchmarks.
#
#   infra/azurite.sh start [--dir DIR] [--persist] [--default-ports]
#   infra/azurite.sh stop  [--dir DIR]
#
# Installs the version pinned in infra/package-lock.json (npm ci) when needed. Data is kept in memory
# unless --persist is given, in which case it lives in DIR (default .local/azurite, git-ignored) and
# survives a restart. Ports are free ones unless --default-ports (10000-10002, what `func start`
# and UseDevelopmentStorage=true expect). `start` prints the connection settings and writes them to
# DIR/env.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Azurite's published development account. It is a public constant of the emulator, not a secret.
readonly ACCOUNT=devstoreaccount1
readonly ACCOUNT_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

cmd=${1:-}; shift || true
dir="$LOCAL_DIR/azurite"; persist=false; default_ports=false
while [ $# -gt 0 ]; do
  case $1 in
    --dir) dir=$2; shift 2 ;;
    --persist) persist=true; shift ;;
    --default-ports) default_ports=true; shift ;;
    *) die "unknown option: $1" ;;
  esac
done
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
envfile="$dir/env"; pidfile="$dir/azurite.pid"

ensure_installed() {
  local bin="$INFRA_DIR/node_modules/.bin/azurite" stamp="$INFRA_DIR/node_modules/.package-lock.json"
  if [ -x "$bin" ] && [ -f "$stamp" ] && [ "$stamp" -nt "$INFRA_DIR/package-lock.json" ]; then return 0; fi
  command -v npm >/dev/null 2>&1 || die "npm is required to install Azurite (Node.js 20+)"
  log "installing Azurite (npm ci in infra/)"
  (cd "$INFRA_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

start() {
  if running; then
    log "Azurite already running (pid $(cat "$pidfile"))"
    cat "$envfile"
    return 0
  fi
  ensure_installed
  local blob queue table
  if $default_ports; then
    blob=10000 queue=10001 table=10002
  elif [ -f "$dir/ports" ]; then
    read -r blob queue table <"$dir/ports"
  else
    blob=$(free_port) queue=$(free_port) table=$(free_port)
  fi
  echo "$blob $queue $table" >"$dir/ports"
  local storage=(--inMemoryPersistence)
  $persist && storage=(--location "$dir/data")
  # setsid: Azurite gets its own process group, so stopping it never signals our caller.
  setsid "$INFRA_DIR/node_modules/.bin/azurite" "${storage[@]}" \
    --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
    --tableHost 127.0.0.1 --tablePort "$table" \
    --skipApiVersionCheck --loose --disableTelemetry --silent \
    >"$dir/azurite.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  for port in "$blob" "$queue" "$table"; do
    wait_for_port "$port" 60 || { tail -n 20 "$dir/azurite.log" >&2; die "Azurite did not start"; }
  done
  local base="http://127.0.0.1"
  write_env "$envfile" \
    "BULKDURABLE_AZURITE_DIR=$dir" \
    "BULKDURABLE_AZURITE_BLOB_PORT=$blob" \
    "BulkDurable__Storage__ConnectionString=DefaultEndpointsProtocol=http;AccountName=$ACCOUNT;AccountKey=$ACCOUNT_KEY;BlobEndpoint=$base:$blob/$ACCOUNT;QueueEndpoint=$base:$queue/$ACCOUNT;TableEndpoint=$base:$table/$ACCOUNT;"
  log "Azurite $(node -p "require('$INFRA_DIR/node_modules/azurite/package.json').version") on 127.0.0.1 (blob $blob, queue $queue, table $table; $($persist && echo "data in $dir/data" || echo "in memory"))"
  cat "$envfile"
}

stop() {
  if running; then
    local pid
    pid=$(cat "$pidfile")
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    # A persisted Azurite writes its metadata on the way out: killed before that, it would forget
    # writes it had acknowledged (queue messages included), which real storage never does. So it
    # gets time to finish, even on a loaded machine, before it is killed.
    local waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 300 ]; do sleep 0.1; waited=$((waited + 1)); done
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 -- "-$pid" 2>/dev/null || true
      log "Azurite did not stop within 30 s and was killed: what it wrote last may be lost"
    else
      kill -9 -- "-$pid" 2>/dev/null || true
      log "Azurite stopped"
    fi
  fi
  rm -f "$pidfile"
}

case $cmd in
  start) start ;;
  stop) stop ;;
  restart) stop; start >/dev/null ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
