using BulkDurable.Ingestion.Api;

namespace BulkDurable.Ingestion.Tests.Api;

public sealed class ApiRoutesTests
{
    private static readonly Uri BaseUrl = new("https://func.example.net/");

    [Fact]
    public void Links_are_absolute_and_carry_no_key()
    {
        var links = ApiRoutes.StatusLinks(BaseUrl, "0197a1b2c3", hasFailedRecords: true);

        Assert.Equal("https://func.example.net/api/jobs/0197a1b2c3", links["self"]);
        Assert.Equal("https://func.example.net/api/jobs/0197a1b2c3/failed-records", links["failedRecords"]);
        Assert.All(links.Values, link => Assert.DoesNotContain("?", link, StringComparison.Ordinal));
    }

    [Fact]
    public void The_failed_records_link_is_there_only_when_there_are_failed_records() =>
        Assert.Equal(["self"], ApiRoutes.StatusLinks(BaseUrl, "j1", hasFailedRecords: false).Keys);

    [Fact]
    public void A_base_url_with_a_query_is_refused() =>
        Assert.Throws<ArgumentException>(() => ApiRoutes.StatusUrl(new Uri("https://h/?code=secret"), "j1"));

    [Fact]
    public void Malformed_job_ids_never_make_it_into_a_link() =>
        Assert.Throws<ArgumentException>(() => ApiRoutes.StatusUrl(BaseUrl, "../x"));
}
