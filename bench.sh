#!/usr/bin/env bash
# Benchmarks BulkDurable against psql \copy and naive INSERT baselines on the same data and server.
# Release build; starts a throwaway PostgreSQL and Azurite and stops them on exit.
#
#   ./bench.sh [--records N] [--runs N] [--parallelism N] [--chunk-records N]
#   ./bench.sh --sweep [--records N] [--runs N]          # chunk size × parallelism grid
#   ./bench.sh --bulkdurable-only --records 10000000 --runs 1   # peak memory on 10M records
#
# The last lines are RATIO fresh_vs_psql_copy=…, RATIO redelivery_vs_psql_copy=…, RATIO resume_vs_fresh=….
# Benchmarks are not part of ./test.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

run_dir="$(pwd)/.local/bench"
cleanup() {
  infra/down.sh --dir "$run_dir" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

command -v psql >/dev/null || { echo "bench.sh: psql is required for the \\copy baseline" >&2; exit 2; }
# Published as the CLI ships (Directory.Build.props: self-contained, composite ReadyToRun);
# otherwise the JIT would spend a good part of a short run on the cores PostgreSQL needs.
bin="$(pwd)/.local/bench-bin"
rid="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
echo "Publishing the benchmark (Release, $rid, composite ReadyToRun)…" >&2
dotnet publish bench/BulkDurable.Benchmarks -c Release -r "$rid" -o "$bin" -v quiet -nologo >/dev/null

cleanup
rm -rf "$run_dir"
servers_env=$(infra/up.sh --dir "$run_dir") || { echo "bench.sh: PostgreSQL or Azurite did not start" >&2; exit 1; }
eval "$servers_env"
# A superuser over the cluster's private unix socket (trust auth), only for CHECKPOINT between runs.
export BENCH_PG_ADMIN="Host=$BULKDURABLE_PG_SOCKET;Port=$BULKDURABLE_PG_PORT;Username=postgres;Database=bulkdurable"

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(psql --version), .NET $(dotnet --version)" >&2
"$bin/BulkDurable.Benchmarks" --work-dir "$run_dir/data" "$@"
