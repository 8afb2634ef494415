using BulkDurable.Functions.Http;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Payloads.Scanning;
using BulkDurable.Ingestion.Running;
using BulkDurable.Ingestion.Staging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BulkDurable.Functions.Tests.Http;

public sealed class SmallPoliciesTests
{
    [Fact]
    public void Client_caused_exceptions_map_to_their_problem()
    {
        Assert.Equal(413, Map(new PayloadTooLargeException(10, "request body")));
        Assert.Equal(400, Map(new PayloadRejectedException(new PayloadProblem(3, "bad header", true))));
        Assert.Equal(404, Map(new UnknownDatasetException("nope")));
        Assert.Equal(409, Map(new JobConflictException("j1", JobStatuses.Job("j1"))));
        Assert.False(ApiProblemMapper.TryMap(new InvalidOperationException("bug"), out var problem));
        Assert.Null(problem);

        static int Map(Exception exception) => ApiProblemMapper.TryMap(exception, out var problem) ? problem.Status : 0;
    }

    [Fact]
    public void An_existing_job_with_the_same_payload_is_a_replay_otherwise_a_mismatch()
    {
        var existing = JobStatuses.Job();

        Assert.Equal(IdempotencyVerdict.Replay, SubmissionPolicy.CompareExisting(existing, existing.Dataset, existing.PayloadSha256.ToUpperInvariant()));
        Assert.Equal(IdempotencyVerdict.Mismatch, SubmissionPolicy.CompareExisting(existing, existing.Dataset, "ffff"));
        Assert.Equal(IdempotencyVerdict.Mismatch, SubmissionPolicy.CompareExisting(existing, "other", existing.PayloadSha256));
    }

    [Fact]
    public void An_empty_payload_is_400()
    {
        Assert.Equal(400, SubmissionPolicy.CheckPayload(new StagedPayload("uploads/u1", "e3b0", 0))?.Status);
        Assert.Null(SubmissionPolicy.CheckPayload(new StagedPayload("uploads/u1", "ab12", 1)));
    }

    [Fact]
    public void Api_options_default_to_the_documented_values()
    {
        var options = Resolve([]);

        Assert.Equal(104_857_600, options.MaxRequestBodyBytes);
        Assert.Equal(TimeSpan.FromMinutes(15), options.UploadSasLifetime);
    }

    [Fact]
    public void Api_options_are_bound_from_configuration()
    {
        var options = Resolve(new() { ["BulkDurable:Api:MaxRequestBodyBytes"] = "1048576", ["BulkDurable:Api:UploadSasLifetime"] = "01:00:00" });

        Assert.Equal(1_048_576, options.MaxRequestBodyBytes);
        Assert.Equal(TimeSpan.FromHours(1), options.UploadSasLifetime);
    }

    [Theory]
    [InlineData("BulkDurable:Api:MaxRequestBodyBytes", "0")]
    [InlineData("BulkDurable:Api:UploadSasLifetime", "00:00:10")]
    [InlineData("BulkDurable:Api:UploadSasLifetime", "8.00:00:00")]
    public void Invalid_api_options_fail_naming_the_setting(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.Contains(key.Split(':')[^1], error.Message, StringComparison.Ordinal);
    }

    private static ApiOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddBulkDurableApi(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<ApiOptions>>().Value;
    }
}
