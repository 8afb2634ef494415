# Shared helpers for the local-infrastructure scripts. Sourced, not executed.
# shellcheck shell=bash

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$INFRA_DIR/.." && pwd)"
LOCAL_DIR="${BULKDURABLE_LOCAL_DIR:-$REPO_ROOT/.local}"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }

# Prints a TCP port nobody listens on right now (the kernel picks it).
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close();})'
}

# Waits until a TCP port on 127.0.0.1 accepts connections.
wait_for_port() {
  local port=$1 seconds=${2:-30} i
  for ((i = 0; i < seconds * 10; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# PostgreSQL refuses to run as root: when we are root, run its binaries as the postgres user.
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
  elif [ -x /usr/lib/postgresql/15/bin/initdb ]; then
    echo /usr/lib/postgresql/15/bin
  else
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$found" ] || die "PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql"
    echo "$found"
  fi
}

# Writes KEY=VALUE arguments to an env file readable only by the current user, values single-quoted
# so that the file can be sourced (connection strings contain ';').
write_env() {
  local file=$1 pair; shift
  (
    umask 077
    for pair in "$@"; do printf "%s='%s'\n" "${pair%%=*}" "${pair#*=}"; done >"$file"
  )
}
