#!/usr/bin/env bash
# Starts PostgreSQL and Azurite and prints the settings to export:
#   eval "$(infra/up.sh)"                  # servers in .local/postgres and .local/azurite
#   env=$(infra/up.sh --dir DIR) && eval "$env"   # servers of their own in DIR/postgres, DIR/azurite
# Stop both with infra/down.sh (same --dir). Other options go to azurite.sh (e.g. --default-ports
# for `func start`). Exits non-zero, printing nothing to stdout, when either server does not start.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/lib.sh"
pg_args=() azurite_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) pg_args=(--dir "$2/postgres"); azurite_args+=(--dir "$2/azurite"); shift 2 ;;
    *) azurite_args+=("$1"); shift ;;
  esac
done
postgres_env=$("$here/postgres.sh" start "${pg_args[@]}")
azurite_env=$("$here/azurite.sh" start "${azurite_args[@]}") || { "$here/postgres.sh" stop "${pg_args[@]}" >/dev/null 2>&1 || true; exit 1; }
printf '%s\n%s\n' "$postgres_env" "$azurite_env" | sed '/^$/d; s/^/export /'
