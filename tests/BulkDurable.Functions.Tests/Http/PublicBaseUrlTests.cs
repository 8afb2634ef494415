using BulkDurable.Functions.Http;

namespace BulkDurable.Functions.Tests.Http;

public sealed class PublicBaseUrlTests
{
    [Fact]
    public void Without_forwarding_headers_the_request_is_the_base() =>
        Assert.Equal("http://localhost:7071/", PublicBaseUrl.From("http", "localhost:7071").AbsoluteUri);

    [Fact]
    public void X_forwarded_headers_win_over_the_worker_address() =>
        Assert.Equal(
            "https://func-bulkdurable.azurewebsites.net/",
            PublicBaseUrl.From("http", "127.0.0.1:35001", forwardedProto: "https", forwardedHost: "func-bulkdurable.azurewebsites.net").AbsoluteUri);

    [Fact]
    public void The_forwarded_header_wins_over_x_forwarded_headers() =>
        Assert.Equal(
            "https://api.example.com/",
            PublicBaseUrl.From("http", "127.0.0.1", forwarded: "for=1.2.3.4;proto=https;host=\"api.example.com\", for=5.6.7.8", forwardedProto: "http", forwardedHost: "other").AbsoluteUri);

    [Fact]
    public void The_first_of_several_proxies_is_the_one_the_client_used() =>
        Assert.Equal("https://a.example/", PublicBaseUrl.From("http", "w", forwardedProto: "https, http", forwardedHost: "a.example, b.example").AbsoluteUri);

    [Fact]
    public void A_path_base_is_kept() =>
        Assert.Equal("https://h/base/", PublicBaseUrl.From("https", "h", "/base").AbsoluteUri);

    [Theory]
    [InlineData("ftp", "h")]
    [InlineData("https", "evil.example/path?code=x")]
    [InlineData("https", "user@evil.example")]
    public void Unusable_forwarded_values_fall_back_to_the_request(string proto, string host) =>
        Assert.Equal("http://worker:1/", PublicBaseUrl.From("http", "worker:1", forwardedProto: proto, forwardedHost: host).AbsoluteUri);
}
