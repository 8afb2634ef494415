#!/usr/bin/env bash
# Gives the app's managed identity its PostgreSQL role and the schema it needs, connected as a
# PostgreSQL (Entra) administrator. Called by infra/azd/postprovision.sh, which sets the environment
# below from the azd environment; it talks to the database only, so it can also run against any
# server the caller can reach (e.g. from a machine inside the virtual network).
#
#   1. In the `postgres` database: unless the app identity is an Entra administrator already
#      (APP_IS_ADMINISTRATOR=true), create its role with pgaadauth_create_principal_with_oid (a
#      role named after the identity, mapped to its object id, not an administrator, no MFA), when
#      no role of that name exists; then GRANT CONNECT on the application database.
#   2. `bulkdurable migrate --grant-to APP_ROLE`: pending migrations, then, in one transaction, the
#      app's grants and nothing more (docs/cli.md: USAGE on the schemas, SELECT, INSERT, UPDATE on the
#      ledger and the datasets' tables, USAGE on their sequences).
# Both steps are idempotent.
#
# Environment:
#   PGHOST, PGPORT (5432), PGUSER, PGPASSWORD, PGSSLMODE   libpq settings of the administrator (psql)
#   DATABASE                  application database (e.g. bulkdurable)
#   APP_ROLE                  the identity's name: its PostgreSQL role (Username of the app's connection string)
#   APP_OBJECT_ID             the identity's object (principal) id
#   APP_IS_ADMINISTRATOR      true: the role exists already (an Entra administrator); only migrate
#   BulkDurable__Postgres__ConnectionString, BulkDurable__Postgres__UseEntraAuthentication
#                             the administrator's connection for `bulkdurable migrate` (docs/cli.md)
#   BULKDURABLE_CLI           optional: a bulkdurable executable; default `dotnet run` of tools/BulkDurable.Cli
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

say() { printf 'postgres-app-role: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

for name in PGHOST PGUSER DATABASE APP_ROLE BulkDurable__Postgres__ConnectionString; do
  [ -n "${!name:-}" ] || die "$name is not set"
done
[ "${APP_IS_ADMINISTRATOR:-false}" = true ] || [ -n "${APP_OBJECT_ID:-}" ] || die "APP_OBJECT_ID is not set"
command -v psql >/dev/null || die "psql (PostgreSQL client 16 or newer) is required"

if [ "${APP_IS_ADMINISTRATOR:-false}" = true ]; then
  say "the app identity '$APP_ROLE' is an Entra administrator (POSTGRES_APP_IS_ADMINISTRATOR=true): its role exists"
else
  say "creating the PostgreSQL role of '$APP_ROLE' (object id $APP_OBJECT_ID) unless it exists"
  # psql variables (:'name' literal, :"name" identifier) quote the values; no SQL is built by the shell.
  psql --no-psqlrc --quiet --set ON_ERROR_STOP=1 --dbname postgres \
    --set role="$APP_ROLE" --set oid="$APP_OBJECT_ID" --set db="$DATABASE" <<'SQL'
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') AS missing \gset
\if :missing
  -- A role for a managed identity (object type 'service'), mapped to its object id so that a rename
  -- in Entra does not break it; isAdmin false (not in azure_pg_admin), isMfa false.
  SELECT * FROM pgaadauth_create_principal_with_oid(:'role', :'oid', 'service', false, false);
\else
  \echo role :"role" exists
\endif
-- PUBLIC can connect to a new database by default; grant it only where that was revoked.
SELECT NOT has_database_privilege(:'role', :'db', 'CONNECT') AS needs_connect \gset
\if :needs_connect
  GRANT CONNECT ON DATABASE :"db" TO :"role";
\endif
SQL
fi

say "applying the schema and granting '$APP_ROLE' what the app needs (bulkdurable migrate --grant-to)"
if [ -n "${BULKDURABLE_CLI:-}" ]; then
  "$BULKDURABLE_CLI" migrate --grant-to "$APP_ROLE"
else
  command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is required to run the bulkdurable CLI (or set BULKDURABLE_CLI)"
  dotnet run --project "$root/tools/BulkDurable.Cli" -c Release -- migrate --grant-to "$APP_ROLE"
fi
