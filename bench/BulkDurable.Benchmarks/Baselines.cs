using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace BulkDurable.Benchmarks;

/// <summary>
/// What users compare BulkDurable with, on the same data and server: <c>psql \copy</c> of the CSV,
/// multi-row INSERT, and one INSERT per row. The INSERT baselines get their rows pre-parsed in
/// memory (not timed), which favours them.
/// </summary>
internal sealed class Baselines(NpgsqlDataSource dataSource, string connectionString)
{
    public const int RowsPerInsert = 1000;
    public const int RowByRowSample = 20_000;

    public async Task<Measurement> PsqlCopyAsync(string csvFile, long rows)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var environment = new Dictionary<string, string> { ["PGPASSWORD"] = builder.Password ?? "" };
        var (_, elapsed, peak) = await ChildProcess.RunAsync(
            "psql",
            ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", builder.Host!, "-p", builder.Port.ToString(CultureInfo.InvariantCulture), "-U", builder.Username!, "-d", builder.Database!,
             "-c", $"\\copy {EngineHost.Table} (sensor_id, sampled_at, value, note) FROM '{csvFile}' WITH (FORMAT csv, HEADER true)"],
            environment);
        return new Measurement("psql \\copy", rows, elapsed, peak);
    }

    public async Task<Measurement> MultiRowInsertAsync(IReadOnlyList<Reading> readings)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var stopwatch = Stopwatch.StartNew();
        for (var offset = 0; offset < readings.Count; offset += RowsPerInsert)
        {
            var count = Math.Min(RowsPerInsert, readings.Count - offset);
            await using var command = new NpgsqlCommand(InsertSql(count) + " ON CONFLICT DO NOTHING", connection);
            for (var i = 0; i < count; i++)
            {
                AddParameters(command, readings[offset + i]);
            }

            await command.ExecuteNonQueryAsync();
        }

        return new Measurement($"multi-row INSERT ({RowsPerInsert}/stmt)", readings.Count, stopwatch.Elapsed, null);
    }

    public async Task<Measurement> RowByRowAsync(IReadOnlyList<Reading> readings, long extrapolateTo)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var sample = readings.Take(RowByRowSample).ToList();
        await using var command = new NpgsqlCommand(InsertSql(1) + " ON CONFLICT DO NOTHING", connection);
        var stopwatch = Stopwatch.StartNew();
        foreach (var reading in sample)
        {
            command.Parameters.Clear();
            AddParameters(command, reading);
            await command.ExecuteNonQueryAsync();
        }

        var perRow = stopwatch.Elapsed / sample.Count;
        return new Measurement($"INSERT per row ({sample.Count:N0}, extrapolated)", extrapolateTo, perRow * extrapolateTo, null, Extrapolated: true);
    }

    /// <summary>Reads the generated NDJSON into memory for the INSERT baselines.</summary>
    public static async Task<IReadOnlyList<Reading>> ReadAsync(string ndjsonFile)
    {
        var readings = new List<Reading>();
        await foreach (var line in File.ReadLinesAsync(ndjsonFile))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            readings.Add(new Reading(
                root.GetProperty("sensor_id").GetString()!,
                root.GetProperty("sampled_at").GetDateTime().ToUniversalTime(),
                root.GetProperty("value").ValueKind == JsonValueKind.Null ? null : root.GetProperty("value").GetDouble(),
                root.GetProperty("note").ValueKind == JsonValueKind.Null ? null : root.GetProperty("note").GetString()));
        }

        return readings;
    }

    private static string InsertSql(int rows)
    {
        var values = Enumerable.Range(0, rows).Select(r => $"(${(r * 4) + 1}, ${(r * 4) + 2}, ${(r * 4) + 3}, ${(r * 4) + 4})");
        return $"INSERT INTO {EngineHost.Table} (sensor_id, sampled_at, value, note) VALUES {string.Join(", ", values)}";
    }

    private static void AddParameters(NpgsqlCommand command, Reading reading)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reading.SensorId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = reading.SampledAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)reading.Value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)reading.Note ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
    }
}

/// <summary>One sensor reading, pre-parsed for the INSERT baselines.</summary>
internal sealed record Reading(string SensorId, DateTime SampledAt, double? Value, string? Note);
