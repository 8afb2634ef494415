#!/usr/bin/env bash
# Compiles and lints the Azure deployment with the Bicep compiler from NuGet (bicep/compiler, version
# pinned in Directory.Packages.props), as ./test.sh and the GitHub workflow do:
#   - build of main.bicep;
#   - build-params of main.bicepparam with no environment set (every default must be valid) and with
#     the environment azd sets, each checked the way ARM checks parameters (checks/parameters.mjs);
#   - template assertions (checks/template.mjs, one line each): the compiled ARM JSON of main.bicep,
#     evaluated for the defaults and a few scenarios, must keep the security and capacity defaults
#     (lifecycle policy, role scopes, PostgreSQL administrators, private network, connection budget);
#   - the azd hook: azure.yaml runs infra/azd/postprovision.sh after provisioning, and the hook
#     scripts parse (bash -n);
#   - lint of main.bicep, main.bicepparam and every module.
# Warnings count as failures. One line per check, then "bicep: N passed, N failed"; exits 1 on a failure.
#
#   bicep/check.sh
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

command -v dotnet >/dev/null || { echo "bicep/check.sh: the .NET SDK (dotnet) is required" >&2; exit 2; }
command -v node >/dev/null || { echo "bicep/check.sh: Node.js is required" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! dotnet restore compiler/BicepCompiler.csproj -v quiet >"$work/restore.log" 2>&1; then
  cat "$work/restore.log" >&2
  echo "FAIL  bicep compiler: the NuGet package did not restore"
  echo "bicep: 0 passed, 1 failed"
  exit 1
fi
bicep=$(dotnet msbuild compiler/BicepCompiler.csproj -getProperty:BicepPath)
[ -x "$bicep" ] || chmod u+x "$bicep" 2>/dev/null || true

passed=0 failed=0
# check NAME COMMAND...: runs the command; it passes when it exits 0 and prints no diagnostic.
check() {
  local name=$1; shift
  local log="$work/check.log"
  if "$@" >"$log" 2>&1 && ! grep -qE '(Warning|Error) [A-Za-z0-9-]+:' "$log"; then
    echo "PASS  bicep $name"
    passed=$((passed + 1))
  else
    echo "FAIL  bicep $name"
    sed 's/^/      /' "$log"
    failed=$((failed + 1))
  fi
}

# The variables main.bicepparam reads, so that "no environment" really is none of them.
mapfile -t read_variables < <(grep -oE "readEnvironmentVariable\('[A-Z0-9_]+'" main.bicepparam | sed -E "s/.*\('//; s/'$//" | sort -u)
unset_all=()
for name in "${read_variables[@]}"; do unset_all+=(-u "$name"); done

build_params() {
  "$bicep" build-params main.bicepparam --stdout >"$work/params.json" && node checks/parameters.mjs <"$work/params.json"
}
export -f build_params
export bicep work

check "build main.bicep" "$bicep" build main.bicep --stdout --no-restore
check "build-params main.bicepparam (no environment: defaults)" env "${unset_all[@]}" bash -c build_params
check "build-params main.bicepparam (azd environment)" env "${unset_all[@]}" \
  AZURE_ENV_NAME=ci AZURE_LOCATION=swedencentral AZURE_SUBSCRIPTION_ID=00000000-0000-0000-0000-000000000000 \
  AZURE_PRINCIPAL_ID=11111111-2222-3333-4444-555555555555 AZURE_RESOURCE_GROUP=rg-ci bash -c build_params

# Template assertions: checks/template.mjs prints one PASS/FAIL line per assertion; each counts.
template_assertions() {
  if ! "$bicep" build main.bicep --stdout --no-restore >"$work/main.json" 2>"$work/template.log" ||
    ! env "${unset_all[@]}" "$bicep" build-params main.bicepparam --stdout >"$work/params-defaults.json" 2>>"$work/template.log"; then
    echo "FAIL  bicep template: main.bicep and main.bicepparam compile"
    sed 's/^/      /' "$work/template.log"
    failed=$((failed + 1))
    return
  fi
  node checks/template.mjs "$work/main.json" "$work/params-defaults.json" main.bicepparam ../host.json >"$work/template.log" 2>&1
  local status=$? lines
  cat "$work/template.log"
  lines=$(grep -cE '^(PASS|FAIL)  ' "$work/template.log")
  passed=$((passed + $(grep -cE '^PASS  ' "$work/template.log")))
  failed=$((failed + $(grep -cE '^FAIL  ' "$work/template.log")))
  # A crash (no assertion line, or an exit other than 0/1) is a failure of its own.
  if [ "$lines" -eq 0 ] || [ "$status" -gt 1 ]; then
    echo "FAIL  bicep template: checks/template.mjs ran to the end (exit $status)"
    failed=$((failed + 1))
  fi
}
template_assertions

azd_hook() {
  local hook=../infra/azd/postprovision.sh script
  grep -qE '^  postprovision:' ../azure.yaml && grep -qE '^    run: infra/azd/postprovision\.sh$' ../azure.yaml ||
    { echo "azure.yaml: hooks.postprovision does not run infra/azd/postprovision.sh"; return 1; }
  [ -x "$hook" ] || { echo "$hook is not executable (azd runs it directly)"; return 1; }
  for script in ../infra/azd/*.sh; do bash -n "$script" || return 1; done
}
check "azd postprovision hook (azure.yaml, infra/azd/*.sh parse)" azd_hook

for file in main.bicep main.bicepparam modules/*.bicep; do
  check "lint $file" "$bicep" lint "$file"
done

echo "bicep: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
