#!/usr/bin/env bash
# azd postprovision hook (azure.yaml): after every `azd provision` / `azd up`, signed in (Azure CLI)
# as the PostgreSQL Entra administrator the template configured (by default you, the deploying
# user), give the app's managed identity its ordinary PostgreSQL role and apply the schema and its
# grants (infra/azd/postgres-app-role.sh). The app is not an Entra administrator, so this is how it
# gets exactly the privileges `bulkdurable migrate --grant-to` grants. See docs/deploy.md, step 6.
#
# A private server (the default) has no public endpoint, and this runs on your machine: unless
# POSTGRES_HOOK_NETWORK=direct (a machine inside or peered with the virtual network), it opens the
# server's public endpoint to this machine's IPv4 address only, for the duration of the step, and
# closes it again on exit, failure and Ctrl-C included. Entra-only authentication and TLS stay on
# throughout. In public mode it adds (and removes) the same temporary firewall rule.
#
# Rerun it with `azd hooks run postprovision`. Settings (azd env set NAME VALUE, or the environment):
#   BULKDURABLE_SKIP_DATABASE_SETUP=true   skip the step (e.g. run postgres-app-role.sh yourself)
#   POSTGRES_HOOK_NETWORK=auto|direct      auto (default): temporary access as above; direct: connect as is
#   POSTGRES_HOOK_CLIENT_IP=a.b.c.d        the address to admit (default: asked from https://api.ipify.org)
#   BULKDURABLE_CLI=path                   a published bulkdurable executable instead of `dotnet run`
# Needs: az (signed in as the administrator), psql, curl, and the .NET SDK unless BULKDURABLE_CLI.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

say() { printf 'postprovision: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

if [ "${BULKDURABLE_SKIP_DATABASE_SETUP:-false}" = true ]; then
  say "BULKDURABLE_SKIP_DATABASE_SETUP=true: the app's PostgreSQL role and the schema are not set up"
  exit 0
fi

# Outputs of bicep/main.bicep, which azd stores in the environment and passes to hooks.
for name in AZURE_RESOURCE_GROUP POSTGRES_SERVER_NAME POSTGRES_HOST POSTGRES_DATABASE AZURE_MANAGED_IDENTITY_NAME AZURE_MANAGED_IDENTITY_PRINCIPAL_ID; do
  [ -n "${!name:-}" ] || die "$name is not in the azd environment: run \`azd provision\` first"
done
admin=${POSTGRES_ENTRA_ADMIN_NAME:-}
[ -n "$admin" ] || die "the PostgreSQL server has no Entra administrator to sign in as. When you deploy as a service principal or are a guest in the tenant, set it and provision again:
  azd env set POSTGRES_ADMIN_PRINCIPAL_NAME '<UPN of a user | display name of a group or service principal>'
  azd env set POSTGRES_ADMIN_PRINCIPAL_ID '<its object id>'
  azd env set POSTGRES_ADMIN_PRINCIPAL_TYPE User|Group|ServicePrincipal
  azd provision"
app_is_admin=${POSTGRES_APP_IS_ADMINISTRATOR:-false}
network=${POSTGRES_HOOK_NETWORK:-auto}
case $network in auto | direct) ;; *) die "POSTGRES_HOOK_NETWORK must be auto or direct, not '$network'" ;; esac

command -v az >/dev/null || die "the Azure CLI (az) is required"
command -v psql >/dev/null || die "psql (PostgreSQL client 16 or newer) is required"
rg=$AZURE_RESOURCE_GROUP
server=$POSTGRES_SERVER_NAME
[ -n "${AZURE_SUBSCRIPTION_ID:-}" ] && az account set --subscription "$AZURE_SUBSCRIPTION_ID"

# The Azure CLI's account is the one psql and `bulkdurable migrate` sign in with: it must be the
# administrator (or, for a group administrator, a member of it).
account_type=$(az account show --query user.type -o tsv)
if [ "${POSTGRES_ADMIN_PRINCIPAL_TYPE:-User}" = User ] && [ "$account_type" = user ]; then
  signed_in=$(az ad signed-in-user show --query userPrincipalName -o tsv)
  if [ "$(printf '%s' "$signed_in" | tr '[:upper:]' '[:lower:]')" != "$(printf '%s' "$admin" | tr '[:upper:]' '[:lower:]')" ]; then
    die "the Azure CLI is signed in as '$signed_in', but the PostgreSQL Entra administrator is '$admin': \`az login\` as '$admin' (or set POSTGRES_ADMIN_PRINCIPAL_NAME to your own user principal name and \`azd provision\` again)"
  fi
fi
say "connecting to $POSTGRES_HOST as the Entra administrator '$admin'"

server_id=$(az postgres flexible-server show --resource-group "$rg" --name "$server" --query id -o tsv)
api=2025-08-01
public_access() { az postgres flexible-server show --resource-group "$rg" --name "$server" --query network.publicNetworkAccess -o tsv; }
# PATCH of the server (Servers - Update) with only the network access, then wait until it is applied.
set_public_access() {
  local wanted=$1 i
  az rest --method patch --url "https://management.azure.com${server_id}?api-version=$api" \
    --body "{\"properties\":{\"network\":{\"publicNetworkAccess\":\"$wanted\"}}}" --output none
  for i in $(seq 1 90); do
    [ "$(public_access)" = "$wanted" ] && [ "$(az postgres flexible-server show --resource-group "$rg" --name "$server" --query state -o tsv)" = Ready ] && return 0
    sleep 10
  done
  return 1
}

rule="" opened=false
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$rule" ]; then
    az postgres flexible-server firewall-rule delete --resource-group "$rg" --name "$server" --rule-name "$rule" --yes --output none ||
      say "could not remove the firewall rule '$rule': az postgres flexible-server firewall-rule delete --resource-group $rg --name $server --rule-name $rule --yes"
  fi
  if [ "$opened" = true ]; then
    say "closing the public endpoint of $server again"
    set_public_access Disabled ||
      say "could not disable public network access again: run \`azd provision\` (the template sets it), or az rest --method patch --url 'https://management.azure.com${server_id}?api-version=$api' --body '{\"properties\":{\"network\":{\"publicNetworkAccess\":\"Disabled\"}}}'"
  fi
  exit "$status"
}

if [ "$network" = auto ]; then
  ip=${POSTGRES_HOOK_CLIENT_IP:-}
  if [ -z "$ip" ]; then
    command -v curl >/dev/null || die "curl is required to find this machine's address (or set POSTGRES_HOOK_CLIENT_IP)"
    ip=$(curl -fsS --max-time 20 https://api.ipify.org) || die "could not find this machine's public IPv4 address: set POSTGRES_HOOK_CLIENT_IP"
  fi
  [[ $ip =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || die "'$ip' is not an IPv4 address"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  if [ "$(public_access)" = Disabled ]; then
    say "opening the public endpoint of $server to $ip for this step (it is closed again afterwards)"
    opened=true
    set_public_access Enabled || die "public network access of $server did not become Enabled"
  fi
  rule="azd-postprovision-${ip//./-}"
  az postgres flexible-server firewall-rule create --resource-group "$rg" --name "$server" --rule-name "$rule" \
    --start-ip-address "$ip" --end-ip-address "$ip" --output none
fi

token=$(az account get-access-token --resource-type oss-rdbms --query accessToken -o tsv)
PGHOST=$POSTGRES_HOST PGPORT=5432 PGUSER=$admin PGPASSWORD=$token PGSSLMODE=require \
  DATABASE=$POSTGRES_DATABASE APP_ROLE=$AZURE_MANAGED_IDENTITY_NAME APP_OBJECT_ID=$AZURE_MANAGED_IDENTITY_PRINCIPAL_ID \
  APP_IS_ADMINISTRATOR=$app_is_admin \
  BulkDurable__Postgres__ConnectionString="Host=$POSTGRES_HOST;Database=$POSTGRES_DATABASE;Username=$admin;SslMode=VerifyFull" \
  BulkDurable__Postgres__UseEntraAuthentication=true \
  "$here/postgres-app-role.sh"

# max_connections is static: a value the template changed waits for a restart, and until then the
# server's limit is not the one the scale-out was derived from.
pending=$(az postgres flexible-server parameter show --resource-group "$rg" --server-name "$server" --name max_connections --query isConfigPendingRestart -o tsv 2>/dev/null || true)
if [ "$pending" = true ]; then
  say "warning: max_connections waits for a server restart to take the value the scale-out was derived from: az postgres flexible-server restart --resource-group $rg --name $server"
fi
say "done: '$AZURE_MANAGED_IDENTITY_NAME' has its PostgreSQL role and grants, the schema is up to date"
