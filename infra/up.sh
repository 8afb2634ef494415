#!/usr/bin/env bash
# Starts local PostgreSQL and Azurite and prints the settings to export:
#   eval "$(infra/up.sh)"      # or: infra/up.sh > .local/env && set -a && . .local/env && set +a
# Stop both with infra/down.sh. Options are passed to azurite.sh (e.g. --default-ports for `func start`).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/lib.sh"
"$here/postgres.sh" start | sed 's/^/export /'
"$here/azurite.sh" start "$@" | sed 's/^/export /'
