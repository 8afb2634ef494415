#!/usr/bin/env bash
# Runs the whole test suite from a fresh clone: installs Azurite (npm ci), starts a throwaway
# PostgreSQL cluster and Azurite, builds and runs every test project against them, compiles and lints
# the Bicep deployment (bicep/check.sh), stops what it started (also on failure or Ctrl-C) and ends
# with one line: "N passed, N failed, N skipped". A project that does not restore or build counts as
# a failure; no project is ever skipped.
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

for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  log="$results/$name.log"
  dotnet test "$project" -c Release "${filter[@]}" --logger "console;verbosity=minimal" 2>&1 | tee "$log" | grep -E "^\s*(Passed!|Failed!|error|  Failed )" || true
  summary=$(grep -E "(Passed|Failed)!\s+-\s+Failed:" "$log" | tail -n 1)
  if [ -z "$summary" ] && [ ${#filter[@]} -gt 0 ] && grep -q "No test matches the given testcase filter" "$log"; then
    continue  # the filter selects nothing in this project
  fi
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

# The Azure deployment: each compile and lint check counts as one test (a filter selects tests only).
if [ ${#filter[@]} -eq 0 ]; then
  echo "== Bicep"
  bicep/check.sh | tee "$results/bicep.log" | grep -vE '^bicep: '
  summary=$(grep -E '^bicep: [0-9]+ passed, [0-9]+ failed' "$results/bicep.log" | tail -n 1)
  if [ -z "$summary" ]; then
    echo "Bicep: no check summary; see $results/bicep.log"
    broken=$((broken + 1))
  else
    passed=$((passed + $(sed -E 's/^bicep: ([0-9]+) passed.*/\1/' <<<"$summary")))
    failed=$((failed + $(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$summary")))
  fi
fi

failed=$((failed + broken))
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
