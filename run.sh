#!/usr/bin/env bash
# Runs BulkDurable locally from a fresh clone, the way a user runs the product: starts PostgreSQL and
# Azurite (in .local/run, kept between runs), applies the schema, starts the Functions app (`func start`
# when Azure Functions Core Tools are on PATH, otherwise the local Durable host, which runs the same
# functions on the same Durable engine), then submits 1,000,000 generated sensor readings over HTTP with
# an Idempotency-Key using `bulkdurable submit --watch`: progress while it polls the status URL, then
# the final summary. Run it again and the same key answers the same job as a replay. Everything it
# started is stopped when it ends, fails or is interrupted (Ctrl-C); the job goes on where it was when
# the app starts again.
#
#   ./run.sh                                     # the main job through the Functions app
#   ./run.sh --direct                            # the same job with the direct runner (bulkdurable load), no app
#   ./run.sh --fresh [--direct]                  # forget earlier runs (their servers' data) first
#   ./run.sh FILE --dataset NAME [LOAD OPTIONS]  # load your own file with the direct runner
#                                                # (options of `bulkdurable load`, see docs/cli.md)
# Environment: BULKDURABLE_RUN_KEY (the Idempotency-Key, default run-sh-sensor-readings-1m),
# BULKDURABLE_RUN_PORT (the app's port, default 7071).
set -euo pipefail

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# A user's file is resolved before changing directory, so relative paths work.
file="" direct=false fresh=false
while [ $# -gt 0 ]; do
  case $1 in
    -h|--help) usage ;;
    --direct) direct=true; shift ;;
    --fresh) fresh=true; shift ;;
    -*) echo "run.sh: unknown option $1 (the file comes first: ./run.sh FILE --dataset NAME)" >&2; exit 2 ;;
    *)
      [ -f "$1" ] || { echo "run.sh: file not found: $1" >&2; exit 2; }
      file=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); shift
      break ;;
  esac
done

cd "$(dirname "${BASH_SOURCE[0]}")"
root=$(pwd)
run_dir="$root/.local/run"
records=1000000
key=${BULKDURABLE_RUN_KEY:-run-sh-sensor-readings-1m}
port=${BULKDURABLE_RUN_PORT:-7071}

command -v dotnet >/dev/null || { echo "run.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 2; }
command -v node >/dev/null || { echo "run.sh: Node.js 20+ is required (Azurite)" >&2; exit 2; }
command -v curl >/dev/null || { echo "run.sh: curl is required" >&2; exit 2; }

host_pid=""
cleanup() {
  if [ -n "$host_pid" ] && kill -0 "$host_pid" 2>/dev/null; then
    # The host runs in a process group of its own (setsid): `func` and its worker stop together.
    kill -TERM -- "-$host_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$host_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$host_pid" 2>/dev/null || true
  fi
  infra/down.sh --dir "$run_dir" >/dev/null 2>&1 || true
}
trap cleanup EXIT
# A foreground `bulkdurable` gets the Ctrl-C too; then this trap runs and the EXIT trap stops the rest.
trap 'exit 130' INT TERM

cleanup
if $fresh; then rm -rf "$run_dir"; fi
mkdir -p "$run_dir"

use_func=false
if ! $direct && [ -z "$file" ] && command -v func >/dev/null; then use_func=true; fi
build() {
  dotnet build "$1" -c Release -nologo -v quiet >"$run_dir/build.log" 2>&1 \
    || { cat "$run_dir/build.log" >&2; echo "run.sh: the build of $1 failed" >&2; exit 1; }
}
echo "Building the bulkdurable CLI$($direct || [ -n "$file" ] || echo " and the Functions app") (Release)…" >&2
build tools/BulkDurable.Cli/BulkDurable.Cli.csproj
if ! $direct && [ -z "$file" ]; then
  if $use_func; then build functions/BulkDurable.Functions/BulkDurable.Functions.csproj
  else build functions/BulkDurable.Functions.LocalHost/BulkDurable.Functions.LocalHost.csproj; fi
fi
cli_dll="$root/tools/BulkDurable.Cli/bin/Release/net10.0/bulkdurable.dll"
bulkdurable() { dotnet "$cli_dll" "$@"; }

# --persist: the task hub, payloads and results stay in .local/run, like the PostgreSQL cluster, so a
# second run sees the first run's job.
servers_env=$(infra/up.sh --dir "$run_dir" --persist) || { echo "run.sh: PostgreSQL or Azurite did not start" >&2; exit 1; }
eval "$servers_env"
bulkdurable migrate

if [ -n "$file" ]; then
  bulkdurable load "$file" "$@"
  exit
fi

payload="$run_dir/sensor_readings.ndjson"
if [ ! -f "$payload" ]; then
  # Deterministic (fixed seed): every run submits the same bytes, so the same key is a replay.
  bulkdurable generate --dataset sensor_readings --records "$records" --output "$payload.tmp"
  mv "$payload.tmp" "$payload"
fi

if $direct; then
  echo "Direct mode: the engine's runner loads the file itself (bulkdurable load), no Functions host." >&2
  bulkdurable load "$payload" --dataset sensor_readings
  exit
fi

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "run.sh: port $port is in use; set BULKDURABLE_RUN_PORT to a free one" >&2; exit 1
fi
export AzureWebJobsStorage="$BulkDurable__Storage__ConnectionString"
export FUNCTIONS_WORKER_RUNTIME=dotnet-isolated
export DurableTaskHubName=BulkDurableRun
endpoint="http://127.0.0.1:$port"
if $use_func; then
  echo "Starting the Functions app with func start on $endpoint…" >&2
  (cd functions/BulkDurable.Functions/bin/Release/net10.0 && exec setsid func start --port "$port") >"$run_dir/host.log" 2>&1 &
else
  echo "Starting the Functions app on the local Durable host on $endpoint (func is not on PATH; docs/functions.md)…" >&2
  (cd functions/BulkDurable.Functions.LocalHost/bin/Release/net10.0 && exec setsid dotnet bulkdurable-localhost.dll --urls "$endpoint") >"$run_dir/host.log" 2>&1 &
fi
host_pid=$!
for _ in $(seq 1 300); do
  if curl -fs "$endpoint/admin/host/status" 2>/dev/null | grep -q '"Running"'; then break; fi
  kill -0 "$host_pid" 2>/dev/null || { tail -n 30 "$run_dir/host.log" >&2; echo "run.sh: the Functions host exited" >&2; exit 1; }
  sleep 0.2
done
curl -fs "$endpoint/admin/host/status" | grep -q '"Running"' || { tail -n 30 "$run_dir/host.log" >&2; echo "run.sh: the Functions host did not start" >&2; exit 1; }

bulkdurable submit "$payload" --endpoint "$endpoint" --dataset sensor_readings --key "$key" --watch
