using System.Net;
using BulkDurable.EndToEnd.Tests.Infrastructure;
using BulkDurable.Testing;

namespace BulkDurable.EndToEnd.Tests.Security;

/// <summary>
/// A job and an upload belong to the caller that made them: another caller gets 404 on every job
/// route (not 403, so that job ids do not leak) and cannot submit the upload; idempotency keys are
/// the caller's own. Callers here are named by the documented local header.
/// </summary>
public sealed class CallerIsolationTests(ServersFixture servers)
{
    private static readonly Dictionary<string, string?> TrustHeader = new()
    {
        ["BulkDurable:Callers:TrustCallerHeader"] = "true",
        ["BulkDurable:Ingestion:ChunkRecords"] = "200",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_job_of_caller_a_is_404_to_caller_b_on_every_job_route_and_visible_to_a()
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, TrustHeader, Ct);
        using var a = Client(bed, "team-a");
        using var b = Client(bed, "team-b");
        var payload = SensorPayload.Generate(500, invalidEvery: 50);
        var accepted = await new JobsApi(a).SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", cancellationToken: Ct);
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        await new JobsApi(a).WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(1), Ct);

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, $"api/jobs/{jobId}"),
            (HttpMethod.Get, $"api/jobs/{jobId}/failed-records"),
            (HttpMethod.Post, $"api/jobs/{jobId}/cancel"),
            (HttpMethod.Post, $"api/jobs/{jobId}/suspend"),
            (HttpMethod.Post, $"api/jobs/{jobId}/resume"),
            (HttpMethod.Post, $"api/jobs/{jobId}/redrive"),
        })
        {
            using var response = await b.SendAsync(new HttpRequestMessage(method, path), Ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} answered caller b {(int)response.StatusCode}");
            Assert.Contains("unknown-job", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await new JobsApi(a).StatusAsync(jobId, Ct)).Status);
        Assert.Equal(payload.Rejections.Count, (await new JobsApi(a).FailedRecordsAsync(jobId, Ct)).Count);
    }

    [Fact]
    public async Task The_same_idempotency_key_of_two_callers_names_two_jobs()
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, TrustHeader, Ct);
        using var a = Client(bed, "team-a");
        using var b = Client(bed, "team-b");
        var payload = SensorPayload.Generate(100);

        var ofA = await new JobsApi(a).SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", idempotencyKey: "nightly", cancellationToken: Ct);
        var ofB = await new JobsApi(b).SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", idempotencyKey: "nightly", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.Accepted, ofA.Status);
        Assert.Equal(HttpStatusCode.Accepted, ofB.Status);
        Assert.Empty(ofB.Header("Idempotent-Replayed"));
        Assert.NotEqual(ofA.Json.GetProperty("jobId").GetString(), ofB.Json.GetProperty("jobId").GetString());
    }

    [Fact]
    public async Task An_upload_issued_to_caller_a_cannot_be_submitted_by_caller_b()
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, TrustHeader, Ct);
        using var a = Client(bed, "team-a");
        using var b = Client(bed, "team-b");
        var payload = SensorPayload.Generate(300);
        using var grant = await a.PostAsync("api/uploads", null, Ct);
        using var grantDocument = System.Text.Json.JsonDocument.Parse(await grant.Content.ReadAsStringAsync(Ct));
        var uploadId = grantDocument.RootElement.GetProperty("uploadId").GetString()!;
        using (var put = new HttpRequestMessage(HttpMethod.Put, grantDocument.RootElement.GetProperty("uploadUrl").GetString()) { Content = new ByteArrayContent(payload.Bytes) })
        {
            put.Headers.Add("x-ms-blob-type", "BlockBlob");
            using var plain = new HttpClient();
            (await plain.SendAsync(put, Ct)).EnsureSuccessStatusCode();
        }

        var reference = System.Text.Encoding.UTF8.GetBytes($"{{\"uploadId\":\"{uploadId}\",\"format\":\"ndjson\"}}");
        var byB = await new JobsApi(b).SubmitAsync(bed.Dataset.Name, reference, "application/json", cancellationToken: Ct);
        var byA = await new JobsApi(a).SubmitAsync(bed.Dataset.Name, reference, "application/json", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.NotFound, byB.Status);
        Assert.Equal("urn:bulkdurable:problem:unknown-upload", byB.Json.GetProperty("type").GetString());
        Assert.True(byA.Status == HttpStatusCode.Accepted, byA.ToString());
        var jobId = byA.Json.GetProperty("jobId").GetString()!;
        await new JobsApi(a).WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(1), Ct);
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);
    }

    private static HttpClient Client(DurableTestBed bed, string caller)
    {
        var client = new HttpClient { BaseAddress = bed.Host.BaseUrl };
        client.DefaultRequestHeaders.Add("X-BulkDurable-Caller", caller);
        return client;
    }
}
