using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Staging;
using BulkDurable.Testing;
using Xunit.Sdk;

namespace BulkDurable.Faults.Tests.Invariants;

/// <summary>
/// The checker every reliability test relies on would catch what it is there to catch: a job
/// checked right passes, and each kind of damage (a duplicated, lost or altered row, a missing
/// ledger row, a failed record too many or too few, wrong totals) makes it fail.
/// </summary>
public sealed class InvariantCheckerTests(ServersFixture servers)
{
    private const int Records = 200;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Damages => new(["none", "duplicated row", "lost row", "altered value", "missing ledger row", "unexpected rejection", "missing rejection", "wrong total", "stray failed record"]);

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task The_invariant_checker_passes_an_exact_job_and_fails_each_kind_of_damage(string damage)
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource);
        await using var host = IngestionTestHost.Create(servers.Servers, new Dictionary<string, string?> { ["BulkDurable:Ingestion:ChunkRecords"] = "50" }, dataset);
        var payload = SensorPayload.Generate(Records, invalidEvery: 40);
        var run = await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, payload.Bytes), 2, Ct);
        await using var reference = await ReferenceTable.CreateAsync(host, dataset.Name);
        await reference.ApplyJsonAsync(payload.ValidRecords);
        var expected = new JobExpectation
        {
            Dataset = dataset.Name,
            Submitted = Records,
            Rejections = payload.Rejections,
            State = JobState.CompletedWithErrors,
            Reference = reference,
        };

        switch (damage)
        {
            case "duplicated row":
                await servers.DataSource.ExecuteSqlAsync($"ALTER TABLE {dataset.Table} DROP CONSTRAINT {dataset.Name}_pkey; INSERT INTO {dataset.Table} SELECT * FROM {dataset.Table} LIMIT 1", Ct);
                break;
            case "lost row":
                await servers.DataSource.ExecuteSqlAsync($"DELETE FROM {dataset.Table} WHERE ctid IN (SELECT ctid FROM {dataset.Table} LIMIT 1)", Ct);
                break;
            case "altered value":
                await servers.DataSource.ExecuteSqlAsync($"UPDATE {dataset.Table} SET value = value + 1 WHERE ctid IN (SELECT ctid FROM {dataset.Table} LIMIT 1)", Ct);
                break;
            case "missing ledger row":
                await servers.DataSource.ExecuteSqlAsync($"DELETE FROM bulkdurable.chunk_ledger WHERE job_id = '{run.Result.JobId}' AND chunk_index = 1", Ct);
                break;
            case "unexpected rejection":
                expected = expected with { Rejections = payload.Rejections.Skip(1).ToList() };
                break;
            case "missing rejection":
                expected = expected with { Rejections = [.. payload.Rejections, new ExpectedRejection(1)] };
                break;
            case "wrong total":
                expected = expected with { Submitted = Records + 1 };
                break;
            case "stray failed record":
                var failed = string.Join("\n", await host.FailedRecordsAsync(run.Result.JobId)) + "\n" + "{\"recordNumber\":7,\"line\":7,\"error\":\"x\",\"record\":\"{}\"}\n";
                await host.Store.Container.GetBlobClient(BlobLayout.FailedRecords(run.Result.JobId)).UploadAsync(BinaryData.FromString(failed), overwrite: true, Ct);
                break;
        }

        var check = InvariantChecker.AssertAsync(host, run.Result.JobId, expected, Ct);

        if (damage == "none")
        {
            await check;
        }
        else
        {
            await Assert.ThrowsAnyAsync<XunitException>(() => check);
        }
    }
}
