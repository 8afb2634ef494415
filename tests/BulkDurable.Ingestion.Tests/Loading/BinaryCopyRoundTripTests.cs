using System.Globalization;
using System.Text;
using System.Text.Json;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Testing;

namespace BulkDurable.Ingestion.Tests.Loading;

/// <summary>
/// The binary COPY encoding is ours, so every column type is proven against PostgreSQL: values
/// loaded through the direct and the staging path read back exactly as sent.
/// </summary>
public sealed class BinaryCopyRoundTripTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Numerics =
    [
        "0", "0.0001", "-123.45", "79228162514264337593543950335", "-79228162514264337593543950335", "0.0000000000000000000000000001",
        "12345678.9", "100000000", "1.10", "-0.5", "9999.9999", "10000", "3.14159265358979323846264338",
    ];

    private static readonly string[] Doubles = ["0", "-1.5", "1e308", "-2.5e-300", "3.141592653589793", "\"NaN\"", "\"Infinity\"", "\"-Infinity\""];

    private static readonly string[] Timestamps =
    [
        "1999-12-31T23:59:59.999999Z", "2000-01-01T00:00:00Z", "1900-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z",
        "2024-02-29T12:34:56.123456+05:30",
    ];

    private static readonly string[] Dates = ["2000-01-01", "1999-12-31", "0001-01-01", "9999-12-31", "1970-01-01"];

    private static readonly string[] Texts = ["", "plain", "quote \" backslash \\ tab \t", "ünïcödé ✓ 😀", "line\nbreak", "\u00a0non-breaking"];

    private static DatasetOptions AllTypes(ConflictAction onConflict) => new()
    {
        Columns =
        [
            new ColumnOptions { Name = "id", Type = ColumnType.Int, Nullable = false },
            new ColumnOptions { Name = "big", Type = ColumnType.Bigint },
            new ColumnOptions { Name = "num", Type = ColumnType.Numeric },
            new ColumnOptions { Name = "dbl", Type = ColumnType.Double },
            new ColumnOptions { Name = "flag", Type = ColumnType.Bool },
            new ColumnOptions { Name = "at", Type = ColumnType.Timestamptz },
            new ColumnOptions { Name = "day", Type = ColumnType.Date },
            new ColumnOptions { Name = "uid", Type = ColumnType.Uuid },
            new ColumnOptions { Name = "doc", Type = ColumnType.Jsonb },
            new ColumnOptions { Name = "txt", Type = ColumnType.Text },
        ],
        ConflictKey = ["id"],
        OnConflict = onConflict,
    };

    private static string Records(int count)
    {
        var lines = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var uuid = new Guid(i, (short)(i * 3), (short)(i * 7), 1, 2, 3, 4, 5, 6, 7, (byte)i);
            lines.Append(CultureInfo.InvariantCulture, $$"""{"id":{{i}},"big":{{(i % 2 == 0 ? long.MinValue + i : long.MaxValue - i)}},"num":{{Numerics[i % Numerics.Length]}},"dbl":{{Doubles[i % Doubles.Length]}},"flag":{{(i % 3 == 0 ? "null" : i % 2 == 0 ? "true" : "false")}},"at":"{{Timestamps[i % Timestamps.Length]}}","day":"{{Dates[i % Dates.Length]}}","uid":"{{uuid}}","doc":{"n":{{i}},"s":"ü\"x","a":[1,2.5,null,{"deep":true}]},"txt":{{JsonSerializer.Serialize(Texts[i % Texts.Length])}}}""").Append('\n');
        }

        return lines.ToString();
    }

    [Theory]
    [InlineData(ConflictAction.Ignore)]
    [InlineData(ConflictAction.Update)]
    public async Task Every_column_type_reads_back_as_sent_through_both_load_paths(ConflictAction onConflict)
    {
        const string Columns = "id integer PRIMARY KEY, big bigint, num numeric, dbl double precision, flag boolean, at timestamptz, day date, uid uuid, doc jsonb, txt text";
        var direct = await TestDataset.CreateAsync(servers.DataSource, Columns, AllTypes(onConflict));
        var staged = await TestDataset.CreateAsync(servers.DataSource, Columns, AllTypes(onConflict));
        await using var host = IngestionTestHost.Create(servers.Servers, null, direct, staged);
        const int Count = 120;

        // Direct path: an empty table accepts the binary COPY as is.
        var first = (await host.RunAsync(await host.SubmitAsync(direct.Name, PayloadFormat.Ndjson, Records(Count)), 1, Ct)).Result;

        // Staging path: a conflicting row in the table makes the loader go through the staging table.
        await using (var seed = servers.DataSource.CreateCommand($"INSERT INTO {staged.Table} (id) VALUES ({Count - 1})"))
        {
            await seed.ExecuteNonQueryAsync(Ct);
        }

        var second = (await host.RunAsync(await host.SubmitAsync(staged.Name, PayloadFormat.Ndjson, Records(Count)), 1, Ct)).Result;

        Assert.Equal(Count, first.Inserted);
        Assert.Equal(Count - 1, second.Inserted);
        var expected = await ReadAsync(servers, Records(Count));
        Assert.Equal(expected, await DumpAsync(direct.Table));
        if (onConflict == ConflictAction.Update)
        {
            Assert.Equal(expected, await DumpAsync(staged.Table));
        }
        else
        {
            Assert.Equal(expected.Take(Count - 1), (await DumpAsync(staged.Table)).Take(Count - 1));
        }
    }

    /// <summary>What PostgreSQL makes of the same records through its own JSON parsing: the oracle.</summary>
    private static async Task<List<string>> ReadAsync(ServersFixture servers, string ndjson)
    {
        var rows = new List<string>();
        foreach (var line in ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await using var command = servers.DataSource.CreateCommand(
                """
                SELECT concat_ws('|', r.id, r.big, r.num, r.dbl, r.flag, r.at AT TIME ZONE 'UTC', r.day, r.uid, r.doc, r.txt)
                FROM jsonb_to_record($1::jsonb) AS r(id integer, big bigint, num numeric, dbl double precision, flag boolean, at timestamptz, day date, uid uuid, doc jsonb, txt text)
                """);
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = line });
            rows.Add((string)(await command.ExecuteScalarAsync(Ct))!);
        }

        return rows;
    }

    private async Task<List<string>> DumpAsync(string table)
    {
        await using var command = servers.DataSource.CreateCommand(
            $"SELECT concat_ws('|', id, big, num, dbl, flag, at AT TIME ZONE 'UTC', day, uid, doc, txt) FROM {table} ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
