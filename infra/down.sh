#!/usr/bin/env bash
# Stops what infra/up.sh started (same --dir). Data of an in-memory Azurite is gone; the PostgreSQL
# cluster stays in its folder (.local/postgres by default) until you delete it.
#   infra/down.sh [--dir DIR]
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
pg_args=() azurite_args=()
if [ "${1:-}" = "--dir" ]; then
  pg_args=(--dir "$2/postgres"); azurite_args=(--dir "$2/azurite")
fi
status=0
"$here/azurite.sh" stop "${azurite_args[@]}" || status=1
"$here/postgres.sh" stop "${pg_args[@]}" || status=1
exit $status
