using System.Runtime.CompilerServices;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Planning;
using BulkDurable.Ingestion.Running;
using Npgsql;

namespace BulkDurable.Ingestion.Loading;

/// <summary>
/// The chunk ledger (<c>bulkdurable.chunk_ledger</c>): claims and completions inside a chunk's
/// transaction, and the readers every driver and status query use. It is the source of truth for
/// what a job has loaded.
/// </summary>
public sealed class ChunkLedger(NpgsqlDataSource dataSource)
{
    /// <summary>Every completed chunk of a job's plan, in chunk order.</summary>
    public async IAsyncEnumerable<ChunkOutcome> ReadOutcomesAsync(JobManifest manifest, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var jobId = manifest.JobId;
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(LedgerStatements.JobOutcomes, connection) { Parameters = { new() { Value = jobId }, new() { Value = manifest.PlanId } } };
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return ReadOutcome(reader, jobId);
                }
            }
        }
    }

    /// <summary>The loaded chunks of a job's plan among [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
    public async Task<ChunkSet> ReadLoadedAsync(JobManifest manifest, int first, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var loaded = new ChunkSet();
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(LedgerStatements.LoadedChunkIndexes, connection)
            {
                Parameters = { new() { Value = manifest.JobId }, new() { Value = manifest.PlanId }, new() { Value = first }, new() { Value = first + count } },
            };
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    loaded.Add(reader.GetInt32(0));
                }
            }
        }

        return loaded;
    }

    /// <summary>Folds the ledger into a <see cref="JobProgress"/> for a planned job.</summary>
    public async Task<JobProgress> ReadProgressAsync(JobManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var progress = new JobProgress();
        progress.ApplyPlan(manifest.ChunkCount, manifest.RecordCount, manifest.PlanRejectedCount);
        await foreach (var outcome in ReadOutcomesAsync(manifest, cancellationToken).ConfigureAwait(false))
        {
            progress.Apply(outcome);
        }

        return progress;
    }

    /// <summary>The plans under which chunks of the job id are in the ledger (usually none or one).</summary>
    public async Task<IReadOnlyList<string>> ReadPlanIdsAsync(string jobId, CancellationToken cancellationToken)
    {
        var planIds = new List<string>();
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(LedgerStatements.PlanIds, connection) { Parameters = { new() { Value = jobId } } };
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    planIds.Add(reader.GetString(0));
                }
            }
        }

        return planIds;
    }

    /// <summary>
    /// The recorded outcome of a chunk of a plan, or <see langword="null"/> when it has not been
    /// loaded. A chunk recorded under another plan means the job id was used before: that is refused.
    /// </summary>
    /// <exception cref="JobConflictException">The chunk was loaded under another plan of the same job id.</exception>
    public async Task<ChunkOutcome?> ReadOutcomeAsync(PlanContext plan, int chunkIndex, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadOutcomeAsync(connection, plan, chunkIndex, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Claims a chunk in the current transaction; null when it was already loaded (waits for a concurrent claimant).</summary>
    internal static async Task<DateTimeOffset?> ClaimAsync(NpgsqlConnection connection, ChunkDescriptor chunk, PlanContext plan, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(LedgerStatements.Claim, connection)
        {
            Parameters = { new() { Value = chunk.JobId }, new() { Value = chunk.Index }, new() { Value = plan.PlanId }, new() { Value = plan.Dataset }, new() { Value = chunk.RecordCount } },
        };
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is DateTime started ? new DateTimeOffset(started) : null;
    }

    /// <summary>Records the outcome in the claimed row; returns the completion time.</summary>
    internal static async Task<DateTimeOffset> CompleteAsync(NpgsqlConnection connection, ChunkDescriptor chunk, long inserted, long updated, long unchanged, long rejected, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(LedgerStatements.Complete, connection)
        {
            Parameters =
            {
                new() { Value = chunk.JobId }, new() { Value = chunk.Index },
                new() { Value = inserted }, new() { Value = updated }, new() { Value = unchanged }, new() { Value = rejected },
            },
        };
        var completed = (DateTime)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new DateTimeOffset(completed);
    }

    internal static async Task<ChunkOutcome?> ReadOutcomeAsync(NpgsqlConnection connection, PlanContext plan, int chunkIndex, CancellationToken cancellationToken)
    {
        var jobId = plan.JobId;
        using var command = new NpgsqlCommand(LedgerStatements.Outcome, connection)
        {
            Parameters = { new() { Value = jobId }, new() { Value = chunkIndex } },
        };
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var planId = reader.IsDBNull(8) ? null : reader.GetString(8);
            if (planId != plan.PlanId)
            {
                throw new JobConflictException(jobId, $"chunk {chunkIndex} of job {jobId} was loaded under another plan ({planId}); the job id was used before");
            }

            return ReadOutcome(reader, jobId);
        }
    }

    /// <summary>A completed chunk from a row of <see cref="LedgerStatements.Outcome"/> or <see cref="LedgerStatements.JobOutcomes"/>.</summary>
    private static ChunkOutcome ReadOutcome(NpgsqlDataReader reader, string jobId) =>
        new(
            jobId,
            reader.GetInt32(0),
            reader.GetInt32(1),
            reader.GetInt64(2),
            reader.GetInt64(3),
            reader.GetInt64(4),
            reader.GetInt64(5),
            reader.GetFieldValue<DateTimeOffset>(6),
            reader.GetFieldValue<DateTimeOffset>(7),
            Replayed: true);
}
