#!/usr/bin/env bash
# Runs the whole test suite from a fresh clone: installs Azurite (npm ci), starts a throwaway
# PostgreSQL cluster and Azurite, runs every test project against them, stops what it started
# (also on failure or Ctrl-C) and ends with one line: "N passed, N failed, N skipped".
#
#   ./test.sh                 # everything
#   ./test.sh --filter EXPR   # passed to `dotnet test --filter` (e.g. FullyQualifiedName~Csv)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root=$(pwd)

filter=()
while [ $# -gt 0 ]; do
  case $1 in
    --filter) filter=(--filter "$2"); shift 2 ;;
    *) echo "usage: ./test.sh [--filter EXPR]" >&2; exit 2 ;;
  esac
done

command -v dotnet >/dev/null || { echo "test.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 2; }
command -v node >/dev/null || { echo "test.sh: Node.js 20+ is required (Azurite)" >&2; exit 2; }

run_dir="$root/.local/test-run"
results="$run_dir/results"
cleanup() {
  infra/down.sh --dir "$run_dir" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

# A fresh cluster and emulator for every run: tests never see a previous run's data.
cleanup
rm -rf "$run_dir"
mkdir -p "$results"
servers_env=$(infra/up.sh --dir "$run_dir") || { echo "test.sh: PostgreSQL or Azurite did not start" >&2; exit 1; }
eval "$servers_env"

passed=0 failed=0 skipped=0 broken=0
# Projects whose packages this machine may not be able to restore (Azure Functions SDK): built and
# tested when they restore, otherwise reported as skipped, never silently.
optional_projects="BulkDurable.Functions.Tests"

for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  if [[ " $optional_projects " == *" $name "* ]]; then
    if ! restore_log=$(dotnet restore "$project" 2>&1); then
      reason=$(printf '%s\n' "$restore_log" | grep -oE "error NU[0-9]+: [^[]*" | head -n 1 | sed 's/ *$//')
      echo "SKIPPED: $name: its packages do not restore here (${reason:-restore failed}); CI builds and runs it"
      skipped=$((skipped + 1))
      continue
    fi
  fi
  echo "== $name"
  log="$results/$name.log"
  dotnet test "$project" -c Release "${filter[@]}" --logger "console;verbosity=minimal" 2>&1 | tee "$log" | grep -E "^\s*(Passed!|Failed!|error|  Failed )" || true
  summary=$(grep -E "(Passed|Failed)!\s+-\s+Failed:" "$log" | tail -n 1)
  if [ -z "$summary" ]; then
    echo "$name: no test summary (build or run failure); see $log"
    broken=$((broken + 1))
    continue
  fi
  p=$(sed -E 's/.*Passed:\s+([0-9]+).*/\1/' <<<"$summary")
  f=$(sed -E 's/.*Failed:\s+([0-9]+),.*/\1/' <<<"$summary")
  s=$(sed -E 's/.*Skipped:\s+([0-9]+).*/\1/' <<<"$summary")
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done

failed=$((failed + broken))
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
