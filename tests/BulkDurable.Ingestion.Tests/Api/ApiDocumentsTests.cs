using System.Text.Json;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Uploads;

namespace BulkDurable.Ingestion.Tests.Api;

/// <summary>The JSON contract clients (the CLI among them) rely on.</summary>
public sealed class ApiDocumentsTests
{
    private static readonly Uri BaseUrl = new("https://func.example.net/");

    [Fact]
    public void The_202_body_holds_the_job_our_urls_and_the_management_urls()
    {
        var management = new ManagementLinksDocument(
            "job1",
            "https://func.example.net/runtime/webhooks/durabletask/instances/job1?code=SYSTEMKEY",
            "https://func.example.net/runtime/webhooks/durabletask/instances/job1/raiseEvent/{eventName}?code=SYSTEMKEY",
            "https://func.example.net/runtime/webhooks/durabletask/instances/job1/terminate?reason={{text}}&code=SYSTEMKEY",
            "https://func.example.net/runtime/webhooks/durabletask/instances/job1?code=SYSTEMKEY",
            null,
            null);
        var document = JobAcceptedDocument.Create("job1", "sensor_readings", "Accepted", BaseUrl, management);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(document, ApiJsonContext.Default.JobAcceptedDocument));
        var root = json.RootElement;

        Assert.Equal("job1", root.GetProperty("jobId").GetString());
        Assert.Equal("sensor_readings", root.GetProperty("dataset").GetString());
        Assert.Equal("Accepted", root.GetProperty("state").GetString());
        Assert.Equal("https://func.example.net/api/jobs/job1", root.GetProperty("statusUrl").GetString());
        Assert.Equal("https://func.example.net/api/jobs/job1/failed-records", root.GetProperty("failedRecordsUrl").GetString());
        Assert.Equal(management.StatusQueryGetUri, root.GetProperty("management").GetProperty("statusQueryGetUri").GetString());
        Assert.Equal("job1", root.GetProperty("management").GetProperty("id").GetString());
        Assert.False(root.GetProperty("management").TryGetProperty("suspendPostUri", out _));
        Assert.Equal(5, JobAcceptedDocument.RetryAfterSeconds);
    }

    [Fact]
    public void A_problem_is_rfc_9457_json()
    {
        var problem = ApiProblem.KeyReused("k1", "job1");

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(problem, ApiJsonContext.Default.ApiProblem));

        Assert.Equal(["type", "title", "status", "detail"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(422, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("application/problem+json", ApiProblem.MediaType);
    }

    [Fact]
    public void The_upload_grant_is_upload_id_url_and_expiry()
    {
        var grant = new UploadGrant("u1", new Uri("https://acct.blob.core.windows.net/bulkdurable/uploads/u1?sp=cw&sig=x"), new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), new Dictionary<string, string> { ["x-ms-blob-type"] = "BlockBlob" });

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(grant, ApiJsonContext.Default.UploadGrant));

        Assert.Equal("u1", json.RootElement.GetProperty("uploadId").GetString());
        Assert.Equal(grant.UploadUrl.AbsoluteUri, json.RootElement.GetProperty("uploadUrl").GetString());
        Assert.Equal(grant.ExpiresAt, json.RootElement.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal("BlockBlob", json.RootElement.GetProperty("headers").GetProperty("x-ms-blob-type").GetString());
    }

}
