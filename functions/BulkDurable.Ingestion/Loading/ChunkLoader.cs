using System.Collections.Concurrent;
using System.Diagnostics;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Planning;
using BulkDurable.Ingestion.Results;
using BulkDurable.Ingestion.Staging;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BulkDurable.Ingestion.Loading;

/// <summary>
/// Loads one chunk into PostgreSQL exactly once in effect, however often it is delivered.
/// <para>
/// One chunk is one transaction: claim the chunk's ledger row, write the rows, record the outcome
/// in the ledger row, commit. A delivery that finds the chunk in the ledger returns the recorded
/// outcome and writes nothing; two concurrent deliveries serialize on the claim.
/// </para>
/// <para>
/// Rows are first copied (binary COPY) straight into the target, the fastest path PostgreSQL has.
/// When that is refused because some rows conflict or break a constraint, the transaction is rolled
/// back and the chunk goes through a staging table and <c>INSERT … ON CONFLICT</c> per the dataset's
/// conflict action; rows the database still refuses are isolated by bisection and reported, and the
/// others load. Once a job has shown conflicts, its later chunks go straight to staging.
/// </para>
/// </summary>
public sealed class ChunkLoader
{
    private const string MergeSavepoint = "bulkdurable_merge";

    /// <summary>How a chunk's rows get into the target, cheapest first.</summary>
    private enum LoadPath
    {
        /// <summary>Binary COPY straight into the target.</summary>
        Copy,

        /// <summary>COPY into the staging table, one INSERT … ON CONFLICT.</summary>
        Staging,

        /// <summary>Staging under savepoints, isolating each row the database refuses.</summary>
        IsolatingStaging,
    }
    private const string StagingSavepoint = "bulkdurable_stage";

    private readonly NpgsqlDataSource _dataSource;
    private readonly ChunkLedger _ledger;
    private readonly IngestionBlobStore _store;
    private readonly DatasetCatalog _catalog;
    private readonly ChunkPlanner _planner;
    private readonly ChunkReader _reader;
    private readonly IngestionTelemetry _telemetry;
    private readonly IFaultInjector _faults;
    private readonly ILogger<ChunkLoader> _logger;
    private readonly BoundedCache<JobManifest> _manifests = new(256);
    private readonly BoundedCache<bool> _jobsWithConflicts = new(4096);
    private readonly ConcurrentDictionary<string, DatasetStatements> _statements = new(StringComparer.Ordinal);

    /// <summary>Creates the loader.</summary>
    public ChunkLoader(
        NpgsqlDataSource dataSource,
        ChunkLedger ledger,
        IngestionBlobStore store,
        DatasetCatalog catalog,
        ChunkPlanner planner,
        IngestionTelemetry telemetry,
        IFaultInjector faults,
        ILogger<ChunkLoader> logger)
    {
        _dataSource = dataSource;
        _ledger = ledger;
        _store = store;
        _catalog = catalog;
        _planner = planner;
        _reader = new ChunkReader(store);
        _telemetry = telemetry;
        _faults = faults;
        _logger = logger;
    }

    /// <summary>Loads a chunk of a planned job, or returns its recorded outcome when it was loaded before.</summary>
    /// <exception cref="RetryableIngestionException">A failure worth retrying (connection lost, deadlock, throttling...).</exception>
    public Task<ChunkOutcome> LoadAsync(ChunkDescriptor chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        return LoadAsync(chunk, plan: null, bytes: null, cancellationToken);
    }

    /// <summary>
    /// Loads a chunk the planner handed over (its plan may not be written yet; its bytes are at
    /// hand), or returns its recorded outcome when it was loaded before.
    /// </summary>
    /// <exception cref="RetryableIngestionException">A failure worth retrying.</exception>
    public Task<ChunkOutcome> LoadAsync(PlannedChunk planned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planned);
        return LoadAsync(planned.Descriptor, planned.Context, planned.Bytes, cancellationToken);
    }

    private async Task<ChunkOutcome> LoadAsync(ChunkDescriptor chunk, PlanContext? plan, ReadOnlyMemory<byte>? bytes, CancellationToken cancellationToken)
    {
        JobIds.Validate(chunk.JobId);
        using var scope = Log.ChunkScope(_logger, chunk.JobId, chunk.Index);
        using var activity = _telemetry.StartChunk(chunk.JobId, chunk.Index);
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (plan is null)
            {
                var manifest = await GetManifestAsync(chunk.JobId, cancellationToken).ConfigureAwait(false);
                if (chunk.Index >= manifest.ChunkCount)
                {
                    throw new ArgumentOutOfRangeException(nameof(chunk), $"Job {chunk.JobId} has {manifest.ChunkCount} chunks; there is no chunk {chunk.Index}.");
                }

                plan = manifest.Context;
            }

            activity?.SetTag(IngestionTelemetry.DatasetTag, plan.Dataset);

            var recorded = await _ledger.ReadOutcomeAsync(plan, chunk.Index, cancellationToken).ConfigureAwait(false);
            if (recorded is not null)
            {
                Log.ChunkReplayed(_logger, chunk.JobId, chunk.Index);
                _telemetry.RecordChunk(plan.Dataset, "replayed", null, TimeSpan.Zero, 0, 0, 0, 0);
                return recorded;
            }

            var dataset = _catalog.Get(plan.Dataset);
            var statements = _statements.GetOrAdd(dataset.Name, _ => new DatasetStatements(dataset));
            using var parsed = bytes is { } handedOver
                ? ChunkReader.Read(chunk, handedOver, plan, dataset)
                : await _reader.ReadAsync(chunk, plan, dataset, cancellationToken).ConfigureAwait(false);

            // The cheapest path first; each refusal by the data falls back to the next, in a new
            // transaction. Once a job has shown conflicts, its chunks start at staging.
            var path = _jobsWithConflicts.TryGet(chunk.JobId, out _) ? LoadPath.Staging : LoadPath.Copy;
            ChunkOutcome? outcome;
            while ((outcome = await LoadInTransactionAsync(parsed, plan, dataset, statements, path, cancellationToken).ConfigureAwait(false)) is null)
            {
                if (path == LoadPath.Copy)
                {
                    _jobsWithConflicts.Set(chunk.JobId, true);
                }

                path = path == LoadPath.Copy ? LoadPath.Staging : LoadPath.IsolatingStaging;
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            var pathName = PathName(path);
            _telemetry.RecordChunk(dataset.Name, outcome.Replayed ? "replayed" : "loaded", pathName, elapsed, outcome.Inserted, outcome.Updated, outcome.Unchanged, outcome.Rejected);
            Log.ChunkLoaded(_logger, chunk.JobId, chunk.Index, pathName, outcome.Inserted, outcome.Updated, outcome.Unchanged, outcome.Rejected, (long)elapsed.TotalMilliseconds);
            return outcome;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or RetryableIngestionException) && FailureClassifier.IsRetryable(ex))
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            _telemetry.RecordChunkFailure(plan?.Dataset, retryable: true);
            throw new RetryableIngestionException($"Chunk {chunk.Index} of job {chunk.JobId}: {FailureReport.Describe(ex)}", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            _telemetry.RecordChunkFailure(plan?.Dataset, retryable: ex is RetryableIngestionException);
            throw;
        }
    }

    private async Task<JobManifest> GetManifestAsync(string jobId, CancellationToken cancellationToken)
    {
        if (_manifests.TryGet(jobId, out var manifest))
        {
            return manifest;
        }

        manifest = await _planner.ReadManifestAsync(jobId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Job {jobId} has not been planned: there is no manifest.");
        _manifests.Set(jobId, manifest);
        return manifest;
    }

    /// <summary>
    /// Loads the chunk in one transaction along <paramref name="path"/>. Returns
    /// <see langword="null"/> when the data refused that path (the transaction is rolled back; the
    /// caller tries the next path). Only the isolating path uses savepoints: subtransactions cost,
    /// and the common paths never need them.
    /// </summary>
    private async Task<ChunkOutcome?> LoadInTransactionAsync(ParsedChunk parsed, PlanContext plan, Dataset dataset, DatasetStatements statements, LoadPath path, CancellationToken cancellationToken)
    {
        var chunk = parsed.Chunk;
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);

        var startedAt = await ChunkLedger.ClaimAsync(connection, chunk, plan, cancellationToken).ConfigureAwait(false);
        if (startedAt is null)
        {
            // Another delivery loaded the chunk while we were reading it.
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return await ChunkLedger.ReadOutcomeAsync(connection, plan, chunk.Index, cancellationToken).ConfigureAwait(false)
                ?? throw new RetryableIngestionException($"Chunk {chunk.Index} of job {chunk.JobId} was claimed but has no outcome yet.");
        }

        var refused = new List<Rejection>();
        long inserted = 0, updated = 0;
        if (parsed.Rows.Count > 0)
        {
            try
            {
                (inserted, updated) = path switch
                {
                    LoadPath.Copy => (await RowCopier.CopyAsync(connection, statements.CopyIntoTarget, parsed.Rows, withOrdinal: false, cancellationToken).ConfigureAwait(false), 0),
                    LoadPath.Staging => await StageAndMergeAsync(connection, statements, parsed, dataset, refused, cancellationToken).ConfigureAwait(false),
                    _ => await StageAndMergeIsolatingAsync(connection, transaction, statements, parsed, dataset, refused, cancellationToken).ConfigureAwait(false),
                };
            }
            catch (PostgresException ex) when (path != LoadPath.IsolatingStaging && FailureClassifier.IsRowDataError(ex))
            {
                Log.FallBack(_logger, chunk.JobId, chunk.Index, PathName(path), ex.SqlState);
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                return null;
            }
        }

        var rejected = parsed.Rejections.Count + refused.Count;
        var unchanged = chunk.RecordCount - inserted - updated - rejected;
        if (rejected > 0)
        {
            // Written before the commit: a committed chunk always has its rejections file. A crash
            // before the commit leaves a file the next delivery overwrites.
            await WriteRejectionsAsync(parsed, refused, cancellationToken).ConfigureAwait(false);
        }

        var completedAt = await ChunkLedger.CompleteAsync(connection, chunk, inserted, updated, unchanged, rejected, cancellationToken).ConfigureAwait(false);
        await _faults.ReachedAsync(FaultPoint.ChunkWritten, chunk.JobId, chunk.Index, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        await _faults.ReachedAsync(FaultPoint.ChunkCommitted, chunk.JobId, chunk.Index, cancellationToken).ConfigureAwait(false);
        return new ChunkOutcome(chunk.JobId, chunk.Index, chunk.RecordCount, inserted, updated, unchanged, rejected, startedAt.Value, completedAt);
    }

    /// <summary>
    /// Staging without isolation: one COPY, one merge (whose duplicate keys, with the Reject action,
    /// are results, not errors). A value the database refuses aborts the transaction.
    /// </summary>
    private static async Task<(long Inserted, long Updated)> StageAndMergeAsync(
        NpgsqlConnection connection, DatasetStatements statements, ParsedChunk parsed, Dataset dataset, List<Rejection> refused, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, statements.CreateStaging, cancellationToken).ConfigureAwait(false);
        await RowCopier.CopyAsync(connection, statements.CopyIntoStaging, parsed.Rows, withOrdinal: true, cancellationToken).ConfigureAwait(false);
        var (created, merged) = await new MergeRun(connection, null, statements, parsed, dataset, refused, []).MergeAsync(0, parsed.Rows.Count, cancellationToken).ConfigureAwait(false);
        return (created, dataset.OnConflict == ConflictAction.Update ? merged - created : 0);
    }

    /// <summary>Staging that isolates every row the database refuses, while staging or while merging.</summary>
    private async Task<(long Inserted, long Updated)> StageAndMergeIsolatingAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DatasetStatements statements, ParsedChunk parsed, Dataset dataset, List<Rejection> refused, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, statements.CreateStaging, cancellationToken).ConfigureAwait(false);
        var notStaged = await new StagingCopy(connection, transaction, statements, parsed, dataset, refused).RunAsync(cancellationToken).ConfigureAwait(false);
        var merge = new MergeRun(connection, transaction, statements, parsed, dataset, refused, notStaged);
        var (created, merged) = await merge.RunAsync(0, parsed.Rows.Count, cancellationToken).ConfigureAwait(false);
        await merge.DropIndexAsync(cancellationToken).ConfigureAwait(false);
        if (refused.Count > 0)
        {
            Log.RowsIsolated(_logger, parsed.Chunk.JobId, parsed.Chunk.Index, refused.Count);
        }

        return (created, dataset.OnConflict == ConflictAction.Update ? merged - created : 0);
    }

    private static string PathName(LoadPath path) => path switch
    {
        LoadPath.Copy => "copy",
        LoadPath.Staging => "staging",
        _ => "isolating",
    };

    private async Task WriteRejectionsAsync(ParsedChunk parsed, List<Rejection> refused, CancellationToken cancellationToken)
    {
        var all = parsed.Rejections.Concat(refused).OrderBy(r => r.RecordNumber);
        using var buffer = new MemoryStream();
        var writer = new RejectedRecordWriter(buffer);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var rejection in all)
            {
                await writer.WriteAsync(rejection.RecordNumber, rejection.Line, rejection.Field, rejection.Error, parsed.Bytes[rejection.Source], truncated: false, cancellationToken).ConfigureAwait(false);
            }
        }

        buffer.Position = 0;
        await _store.Blob(BlobLayout.ChunkRejections(parsed.Chunk.JobId, parsed.Chunk.Index)).UploadAsync(buffer, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A row the database refused, reported with the database's reason and constraint.</summary>
    private static Rejection Refusal(ParsedChunk parsed, Dataset dataset, int row, PostgresException ex)
    {
        var field = ex.ColumnName is { } column ? dataset.Columns.FirstOrDefault(c => c.Name == column)?.Field : null;
        var constraint = ex.ConstraintName is { } name ? $" (constraint {name})" : "";
        return new Rejection(
            parsed.Rows.RecordNumber(row),
            parsed.Rows.Line(row),
            field,
            $"refused by the database: {ex.MessageText}{constraint} [SQLSTATE {ex.SqlState}]",
            parsed.Rows.SourceRange(row));
    }

    /// <summary>
    /// Copies the chunk into the staging table. Staging columns have no constraints, but a value can
    /// still be refused by its type's own input rules (a jsonb number beyond numeric's range): then
    /// the copy is redone in halves under savepoints until each refused row stands alone; the others
    /// are staged. Returns the rows (batch indexes) that were not staged.
    /// </summary>
    private sealed class StagingCopy(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        DatasetStatements statements,
        ParsedChunk parsed,
        Dataset dataset,
        List<Rejection> refused)
    {
        private readonly HashSet<int> _notStaged = [];

        public async Task<HashSet<int>> RunAsync(CancellationToken cancellationToken)
        {
            await CopyAsync(0, parsed.Rows.Count, cancellationToken).ConfigureAwait(false);
            return _notStaged;
        }

        /// <summary>Copies the rows at write-order positions [first, first + count).</summary>
        private async Task CopyAsync(int first, int count, CancellationToken cancellationToken)
        {
            await transaction.SaveAsync(StagingSavepoint, cancellationToken).ConfigureAwait(false);
            try
            {
                await RowCopier.CopyAsync(connection, statements.CopyIntoStaging, parsed.Rows, withOrdinal: true, first, count, cancellationToken).ConfigureAwait(false);
                await transaction.ReleaseAsync(StagingSavepoint, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (FailureClassifier.IsRowDataError(ex))
            {
                await transaction.RollbackAsync(StagingSavepoint, cancellationToken).ConfigureAwait(false);
                if (count == 1)
                {
                    var row = parsed.Rows.WriteOrder[first];
                    _notStaged.Add(row);
                    refused.Add(Refusal(parsed, dataset, row, ex));
                    return;
                }

                var half = count / 2;
                await CopyAsync(first, half, cancellationToken).ConfigureAwait(false);
                await CopyAsync(first + half, count - half, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Merges the staged rows, isolating the rows the database refuses: a refused range is rolled
    /// back to a savepoint and split in two until each refused row stands alone.
    /// </summary>
    private sealed class MergeRun(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        DatasetStatements statements,
        ParsedChunk parsed,
        Dataset dataset,
        List<Rejection> refused,
        HashSet<int> notStaged)
    {
        private bool _indexed;

        /// <summary>Merges rows [from, to); returns the rows that created a row and the rows merged (refused ones excluded).</summary>
        public async Task<(long Inserted, long Merged)> RunAsync(int from, int to, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(transaction);
            await transaction.SaveAsync(MergeSavepoint, cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await MergeAsync(from, to, cancellationToken).ConfigureAwait(false);
                await transaction.ReleaseAsync(MergeSavepoint, cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (PostgresException ex) when (FailureClassifier.IsRowDataError(ex))
            {
                await transaction.RollbackAsync(MergeSavepoint, cancellationToken).ConfigureAwait(false);
                if (to - from == 1)
                {
                    refused.Add(Refusal(parsed, dataset, from, ex));
                    return (0, 0);
                }

                if (!_indexed)
                {
                    // Bisection runs many small range statements; an index keeps each one small.
                    await ExecuteAsync(connection, statements.IndexStaging, cancellationToken).ConfigureAwait(false);
                    _indexed = true;
                }

                var middle = from + ((to - from) / 2);
                var left = await RunAsync(from, middle, cancellationToken).ConfigureAwait(false);
                var right = await RunAsync(middle, to, cancellationToken).ConfigureAwait(false);
                return (left.Inserted + right.Inserted, left.Merged + right.Merged);
            }
        }

        /// <summary>Drops the ordinal index bisection may have added to the (reused) staging table.</summary>
        public async Task DropIndexAsync(CancellationToken cancellationToken)
        {
            if (_indexed)
            {
                await ExecuteAsync(connection, statements.DropStagingIndex, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>One merge statement over rows [from, to).</summary>
        public async Task<(long Inserted, long Merged)> MergeAsync(int from, int to, CancellationToken cancellationToken)
        {
            using var command = new NpgsqlCommand(statements.Merge, connection)
            {
                Parameters = { new() { Value = from }, new() { Value = to } },
            };
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!statements.MergeReturnsRejectedRows)
                {
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    return (reader.GetInt64(0), Staged(from, to));
                }

                var duplicates = 0;
                var keys = string.Join(", ", dataset.ConflictKey.Select(c => c.Field));
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var row = reader.GetInt32(0);
                    var keptRow = reader.GetInt32(1);
                    var error = reader.GetBoolean(2)
                        ? $"duplicate key ({keys}): record {parsed.Rows.RecordNumber(keptRow)} of this payload has the same key"
                        : $"duplicate key ({keys}): a row with this key already exists";
                    refused.Add(new Rejection(parsed.Rows.RecordNumber(row), parsed.Rows.Line(row), null, error, parsed.Rows.SourceRange(row)));
                    duplicates++;
                }

                var merged = Staged(from, to) - duplicates;
                return (merged, merged);
            }
        }

        /// <summary>Rows of [from, to) in the staging table: those refused while staging are not.</summary>
        private long Staged(int from, int to) => to - from - (notStaged.Count == 0 ? 0 : notStaged.Count(row => row >= from && row < to));
    }
}
