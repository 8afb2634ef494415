using System.Text.Json;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Planning;
using BulkDurable.Ingestion.Serialization;
using BulkDurable.Ingestion.Staging;
using Npgsql;
using Xunit;

namespace BulkDurable.Testing;

/// <summary>
/// Asserts that a finished job lost nothing and wrote nothing twice, from the evidence it left and
/// independently of what the runner returned:
/// <list type="number">
/// <item>counts: submitted = inserted + updated + unchanged + rejected (+ not loaded), as expected;</item>
/// <item>table: the target's row count and content checksum equal the <see cref="ReferenceTable"/>'s;</item>
/// <item>ledger: each chunk of the plan exactly once (none missing unless expected not loaded), each row's
/// count matching the chunk index, the sums matching <c>result.json</c>;</item>
/// <item>failed records: exactly the expected record numbers, in order, each with recordNumber, line,
/// error and record (and the expected line, field and reason); a file truncated at its limits lists
/// the first of them and ends with a marker that accounts for the rest.</item>
/// </list>
/// </summary>
public static class InvariantChecker
{
    /// <summary>Checks every invariant of a finished job; returns its <c>result.json</c>.</summary>
    public static async Task<JobResult> AssertAsync(IngestionTestHost host, string jobId, JobExpectation expected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(expected);
        var dataset = host.Catalog.Get(expected.Dataset);
        var result = await host.Store.ReadJsonAsync(BlobLayout.Result(jobId), IngestionJsonContext.Default.JobResult, cancellationToken);
        Assert.True(result is not null, $"Job {jobId} has no result.json: it was never finalized.");

        AssertCounts(result, expected);
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString(host));
        await AssertLedgerAsync(host, dataSource, result, cancellationToken);
        await AssertFailedRecordsAsync(host, result, expected, cancellationToken);
        if (expected.Reference is { } reference)
        {
            await AssertSameRowsAsync(dataSource, dataset, reference, cancellationToken);
        }

        return result;
    }

    private static void AssertCounts(JobResult result, JobExpectation expected)
    {
        Assert.Equal(expected.Submitted, result.Submitted);
        Assert.True(
            result.Submitted == result.Inserted + result.Updated + result.Unchanged + result.Rejected + result.NotLoaded,
            $"submitted {result.Submitted} != inserted {result.Inserted} + updated {result.Updated} + unchanged {result.Unchanged} + rejected {result.Rejected} + not loaded {result.NotLoaded}");
        Assert.Equal(expected.NotLoaded, result.NotLoaded);
        Assert.Equal(expected.Rejections.Count, result.Rejected);
        Assert.Equal(result.Rejected > 0, result.HasFailedRecords);
        if (expected.State is { } state)
        {
            Assert.Equal(state, result.State);
        }

        if (expected.Inserted is { } inserted)
        {
            Assert.Equal(inserted, result.Inserted);
        }

        if (expected.Updated is { } updated)
        {
            Assert.Equal(updated, result.Updated);
        }

        if (expected.Unchanged is { } unchanged)
        {
            Assert.Equal(unchanged, result.Unchanged);
        }

        if (expected.ErrorContains is { } error)
        {
            Assert.Contains(error, result.Error ?? "", StringComparison.Ordinal);
        }
    }

    private static async Task AssertLedgerAsync(IngestionTestHost host, NpgsqlDataSource dataSource, JobResult result, CancellationToken cancellationToken)
    {
        var rows = new List<(int Chunk, int Records, long Inserted, long Updated, long Unchanged, long Rejected, bool Completed)>();
        await using (var command = dataSource.CreateCommand(
            "SELECT chunk_index, records, inserted, updated, unchanged, rejected, completed_at IS NOT NULL FROM bulkdurable.chunk_ledger WHERE job_id = $1 ORDER BY chunk_index"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = result.JobId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetInt32(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetBoolean(6)));
            }
        }

        await using (var command = dataSource.CreateCommand("SELECT chunk_index, count(*) FROM bulkdurable.chunk_ledger WHERE job_id = $1 GROUP BY 1 HAVING count(*) <> 1"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = result.JobId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            Assert.False(await reader.ReadAsync(cancellationToken), $"job {result.JobId}: chunk {(reader.IsOnRow ? reader.GetInt32(0) : -1)} is in the ledger more than once");
        }

        Assert.All(rows, r => Assert.True(r.Completed, $"chunk {r.Chunk} is claimed in the ledger but not completed"));
        Assert.All(rows, r => Assert.Equal(r.Records, r.Inserted + r.Updated + r.Unchanged + r.Rejected));
        Assert.Equal(result.ChunksLoaded, rows.Count);

        var manifest = await host.Get<ChunkPlanner>().ReadManifestAsync(result.JobId, cancellationToken);
        if (manifest is null)
        {
            Assert.Empty(rows);
            Assert.Equal(0, result.ChunkCount);
            return;
        }

        Assert.Equal(manifest.ChunkCount, result.ChunkCount);
        Assert.Equal(manifest.RecordCount, result.Submitted);
        var chunks = manifest.ChunkCount == 0 ? [] : await host.Get<ChunkIndexReader>().ReadAsync(manifest, 0, manifest.ChunkCount, cancellationToken);
        Assert.Equal(manifest.ChunkCount, chunks.Count);
        Assert.Equal(manifest.RecordCount - manifest.PlanRejectedCount, chunks.Sum(c => (long)c.RecordCount));
        foreach (var row in rows)
        {
            Assert.InRange(row.Chunk, 0, manifest.ChunkCount - 1);
            Assert.Equal(chunks[row.Chunk].RecordCount, row.Records);
        }

        Assert.Equal(result.Inserted, rows.Sum(r => r.Inserted));
        Assert.Equal(result.Updated, rows.Sum(r => r.Updated));
        Assert.Equal(result.Unchanged, rows.Sum(r => r.Unchanged));
        Assert.Equal(result.Rejected, rows.Sum(r => r.Rejected) + manifest.PlanRejectedCount);

        var loaded = rows.Select(r => r.Chunk).ToHashSet();
        var missing = Enumerable.Range(0, manifest.ChunkCount).Where(i => !loaded.Contains(i)).ToList();
        Assert.Equal(result.NotLoaded, missing.Sum(i => (long)chunks[i].RecordCount));
        Assert.All(result.FailedChunks, f => Assert.Contains(f.ChunkIndex, missing));
    }

    private static async Task AssertFailedRecordsAsync(IngestionTestHost host, JobResult result, JobExpectation expected, CancellationToken cancellationToken)
    {
        var lines = await host.FailedRecordsAsync(result.JobId);
        if (result.Rejected == 0)
        {
            Assert.True(lines.Count == 0, $"job {result.JobId} rejected nothing but its failed-records file lists {lines.Count} records");
            return;
        }

        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var expectedNumbers = expected.Rejections.Select(r => r.RecordNumber).Order().ToList();
        if (result.FailedRecordsTruncated)
        {
            var marker = entries[^1];
            entries.RemoveAt(entries.Count - 1);
            Assert.True(marker.TryGetProperty("fileTruncated", out var truncated) && truncated.GetBoolean(), $"job {result.JobId}: a truncated failed-records file must end with the marker, not {marker}");
            Assert.Equal(entries.Count, marker.GetProperty("recordsListed").GetInt64());
            Assert.Equal(result.Rejected - entries.Count, marker.GetProperty("recordsOmitted").GetInt64());
            Assert.True(entries.Count < expectedNumbers.Count, $"job {result.JobId}: the file is marked truncated but lists all {entries.Count} rejected records");
            expectedNumbers = expectedNumbers.Take(entries.Count).ToList();
        }

        foreach (var entry in entries)
        {
            Assert.Equal(JsonValueKind.Number, entry.GetProperty("recordNumber").ValueKind);
            Assert.True(entry.GetProperty("line").GetInt64() >= 1, $"record {entry.GetProperty("recordNumber")}: line must be 1 or more");
            Assert.False(string.IsNullOrWhiteSpace(entry.GetProperty("error").GetString()), $"record {entry.GetProperty("recordNumber")}: no error");
            Assert.Equal(JsonValueKind.String, entry.GetProperty("record").ValueKind);
        }

        var numbers = entries.Select(e => e.GetProperty("recordNumber").GetInt64()).ToList();
        Assert.Equal(numbers.Order(), numbers);
        Assert.Equal(expectedNumbers, numbers);
        var byNumber = entries.ToDictionary(e => e.GetProperty("recordNumber").GetInt64());
        foreach (var rejection in expected.Rejections.Where(r => byNumber.ContainsKey(r.RecordNumber)))
        {
            var entry = byNumber[rejection.RecordNumber];
            var error = entry.GetProperty("error").GetString()!;
            if (rejection.Line is { } line)
            {
                Assert.True(line == entry.GetProperty("line").GetInt64(), $"record {rejection.RecordNumber}: expected line {line}, the file says {entry.GetProperty("line")} ({error})");
            }

            if (rejection.Field is { } field)
            {
                var actual = entry.TryGetProperty("field", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : ExpectedRejection.NoField;
                Assert.True(field == actual, $"record {rejection.RecordNumber}: expected field '{field}', the file says '{actual}' ({error})");
            }

            if (rejection.ErrorContains is { } reason)
            {
                Assert.True(error.Contains(reason, StringComparison.Ordinal), $"record {rejection.RecordNumber}: expected an error containing '{reason}', the file says '{error}'");
            }
        }
    }

    /// <summary>
    /// Asserts that the dataset's table holds exactly the reference's rows (over the dataset's
    /// columns): same count, same content. On a mismatch the message samples the unexpected and the
    /// missing rows and, for a dataset with a conflict key, counts per column the rows whose value
    /// differs from the reference's row of the same key, with examples.
    /// </summary>
    public static async Task AssertSameRowsAsync(NpgsqlDataSource dataSource, Dataset dataset, ReferenceTable reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(reference);
        var row = "ROW(" + string.Join(", ", dataset.Columns.Select(c => "t." + c.QuotedName)) + ")::text";
        var actual = await CountAndChecksumAsync(dataSource, dataset.QualifiedTable, row, cancellationToken);
        var wanted = await CountAndChecksumAsync(dataSource, reference.Table, row, cancellationToken);
        if (actual == wanted)
        {
            return;
        }

        var columns = string.Join(", ", dataset.Columns.Select(c => c.QuotedName));
        var extra = await SampleAsync(dataSource, $"SELECT {row} FROM (SELECT {columns} FROM {dataset.QualifiedTable} EXCEPT ALL SELECT {columns} FROM {reference.Table}) t LIMIT 5", cancellationToken);
        var lost = await SampleAsync(dataSource, $"SELECT {row} FROM (SELECT {columns} FROM {reference.Table} EXCEPT ALL SELECT {columns} FROM {dataset.QualifiedTable}) t LIMIT 5", cancellationToken);
        var differences = await ColumnDifferencesAsync(dataSource, dataset, reference, cancellationToken);
        Assert.Fail(
            $"{dataset.QualifiedTable} holds {actual.Count} rows (md5 {actual.Checksum}); the reference holds {wanted.Count} (md5 {wanted.Checksum}).\n" +
            $"Rows not expected (duplicated or wrong), first 5: {string.Join(" | ", extra)}\n" +
            $"Rows missing (lost or different), first 5: {string.Join(" | ", lost)}" +
            string.Concat(differences.Select(d => "\n" + d)));
    }

    /// <summary>Per column: the rows (matched by conflict key) whose value is not the reference's, counted, with the first examples.</summary>
    private static async Task<List<string>> ColumnDifferencesAsync(NpgsqlDataSource dataSource, Dataset dataset, ReferenceTable reference, CancellationToken cancellationToken)
    {
        var differences = new List<string>();
        if (dataset.ConflictKey.Count == 0)
        {
            return differences;
        }

        var key = "ROW(" + string.Join(", ", dataset.ConflictKey.Select(c => "t." + c.QuotedName)) + ")::text";
        var join = string.Join(" AND ", dataset.ConflictKey.Select(c => $"t.{c.QuotedName} = r.{c.QuotedName}"));
        foreach (var column in dataset.Columns.Where(c => !dataset.ConflictKey.Contains(c)))
        {
            var sql = $"""
                SELECT count(*) OVER (), {key} || ': expected ' || coalesce(r.{column.QuotedName}::text, 'NULL') || ', found ' || coalesce(t.{column.QuotedName}::text, 'NULL')
                FROM {dataset.QualifiedTable} t JOIN {reference.Table} r ON {join}
                WHERE t.{column.QuotedName} IS DISTINCT FROM r.{column.QuotedName}
                ORDER BY {key} LIMIT 3
                """;
            await using var command = dataSource.CreateCommand(sql);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var examples = new List<string>();
            long count = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                count = reader.GetInt64(0);
                examples.Add(reader.GetString(1));
            }

            if (count > 0)
            {
                differences.Add($"Column {column.Name} differs in {count} row{(count == 1 ? "" : "s")}, e.g. {string.Join("; ", examples)}");
            }
        }

        return differences;
    }

    private static async Task<(long Count, string Checksum)> CountAndChecksumAsync(NpgsqlDataSource dataSource, string table, string row, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*), md5(coalesce(string_agg({row}, E'\\n' ORDER BY {row}), '')) FROM {table} t");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetString(1));
    }

    private static async Task<List<string>> SampleAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        var rows = new List<string>();
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static string ConnectionString(IngestionTestHost host) =>
        host.Configuration["BulkDurable:Postgres:ConnectionString"] ?? throw new InvalidOperationException("The host has no PostgreSQL connection string.");
}
