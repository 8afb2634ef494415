#!/usr/bin/env bash
# Stops what infra/up.sh started. Data of the in-memory Azurite is gone; the PostgreSQL cluster
# stays in .local/postgres until you delete that folder.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
"$here/azurite.sh" stop
"$here/postgres.sh" stop
