#!/usr/bin/env bash
# Runs BulkDurable locally from a fresh clone: builds the bulkdurable CLI, starts a throwaway
# PostgreSQL and Azurite (in .local/run, fresh every run), applies the schema, then
#   - with Azure Functions Core Tools (func) on PATH: runs the Functions app against them;
#   - otherwise: the main job in direct mode, 1,000,000 generated sensor readings loaded with
#     `bulkdurable load` (progress bar, then the summary).
# Everything it started is stopped when it ends, fails or is interrupted (Ctrl-C).
#
#   ./run.sh                                   # the main job (or the Functions app, with func)
#   ./run.sh FILE --dataset NAME [LOAD OPTIONS]  # load your own file in direct mode instead
#                                              # (options of `bulkdurable load`, see docs/cli.md)
set -euo pipefail

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# A user's file is resolved before changing directory, so relative paths work.
file=""
if [ $# -gt 0 ]; then
  case $1 in
    -h|--help) usage ;;
    -*) echo "run.sh: the file comes first: ./run.sh FILE --dataset NAME" >&2; exit 2 ;;
  esac
  [ -f "$1" ] || { echo "run.sh: file not found: $1" >&2; exit 2; }
  file=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); shift
fi

cd "$(dirname "${BASH_SOURCE[0]}")"
root=$(pwd)
run_dir="$root/.local/run"
records=1000000

command -v dotnet >/dev/null || { echo "run.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 2; }
command -v node >/dev/null || { echo "run.sh: Node.js 20+ is required (Azurite)" >&2; exit 2; }

cleanup() {
  infra/down.sh --dir "$run_dir" >/dev/null 2>&1 || true
}
trap cleanup EXIT
# A foreground `bulkdurable load` gets the Ctrl-C too: it finalizes its job as cancelled, then this
# trap runs and the EXIT trap stops the servers.
trap 'exit 130' INT TERM

# Fresh servers every run: nothing from a previous run is seen.
cleanup
rm -rf "$run_dir"
mkdir -p "$run_dir"

echo "Building the bulkdurable CLI (Release)…" >&2
dotnet build tools/BulkDurable.Cli/BulkDurable.Cli.csproj -c Release -nologo -v quiet >"$run_dir/build.log" 2>&1 \
  || { cat "$run_dir/build.log" >&2; echo "run.sh: the build failed" >&2; exit 1; }
cli_dll="$root/tools/BulkDurable.Cli/bin/Release/net10.0/bulkdurable.dll"
bulkdurable() { dotnet "$cli_dll" "$@"; }

servers_env=$(infra/up.sh --dir "$run_dir") || { echo "run.sh: PostgreSQL or Azurite did not start" >&2; exit 1; }
eval "$servers_env"

bulkdurable migrate

if [ -n "$file" ]; then
  bulkdurable load "$file" "$@"
  exit
fi

if command -v func >/dev/null && [ -d functions/BulkDurable.Functions ]; then
  echo "Starting the Functions app (func start); submit with: bulkdurable submit FILE --endpoint http://localhost:7071 --dataset sensor_readings --watch" >&2
  export AzureWebJobsStorage="$BulkDurable__Storage__ConnectionString"
  export FUNCTIONS_WORKER_RUNTIME=dotnet-isolated
  export DurableTaskHubName=BulkDurableLocal
  cd functions/BulkDurable.Functions
  func start
  exit
fi

echo "Azure Functions Core Tools (func) not found: running the main job in direct mode with the bulkdurable CLI." >&2
payload="$run_dir/sensor_readings.ndjson"
bulkdurable generate --dataset sensor_readings --records "$records" --output "$payload"
bulkdurable load "$payload" --dataset sensor_readings
