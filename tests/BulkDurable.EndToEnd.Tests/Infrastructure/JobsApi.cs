using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace BulkDurable.EndToEnd.Tests.Infrastructure;

/// <summary>The app's HTTP API as a client uses it: submit, poll, command, read the failed records.</summary>
public sealed class JobsApi(HttpClient http)
{
    private static readonly HashSet<string> TerminalStates = ["Completed", "CompletedWithErrors", "Failed", "Cancelled"];

    /// <summary>Submits a payload as the request body.</summary>
    /// <remarks>With <paramref name="expectContinue"/>, <c>Expect: 100-continue</c> is sent, so that a refusal comes before the body is sent.</remarks>
    public async Task<ApiAnswer> SubmitAsync(string dataset, byte[] body, string contentType, string? contentEncoding = null, string? idempotencyKey = null, bool expectContinue = false, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/datasets/{dataset}/jobs") { Content = new ByteArrayContent(body) };
        request.Headers.ExpectContinue = expectContinue;
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (contentEncoding is not null)
        {
            request.Content.Headers.ContentEncoding.Add(contentEncoding);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await SendAsync(request, cancellationToken);
    }

    /// <summary>Asks for an upload URL, puts <paramref name="payload"/> through it and submits the upload.</summary>
    public async Task<ApiAnswer> SubmitThroughUploadAsync(string dataset, byte[] payload, string format, string? compression = null, CancellationToken cancellationToken = default)
    {
        using var grantRequest = new HttpRequestMessage(HttpMethod.Post, "api/uploads");
        var grant = await SendAsync(grantRequest, cancellationToken);
        Assert.True(grant.Status == HttpStatusCode.Created, grant.ToString());
        using var upload = new HttpRequestMessage(HttpMethod.Put, grant.Json.GetProperty("uploadUrl").GetString()) { Content = new ByteArrayContent(payload) };
        upload.Headers.Add("x-ms-blob-type", "BlockBlob");
        using (var uploaded = await http.SendAsync(upload, cancellationToken))
        {
            Assert.True(uploaded.IsSuccessStatusCode, $"upload: {(int)uploaded.StatusCode} {await uploaded.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var reference = JsonSerializer.Serialize(new { uploadId = grant.Json.GetProperty("uploadId").GetString(), format, compression });
        return await SubmitAsync(dataset, System.Text.Encoding.UTF8.GetBytes(reference), "application/json", cancellationToken: cancellationToken);
    }

    /// <summary>A job's status document.</summary>
    public async Task<ApiAnswer> StatusAsync(string jobId, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/jobs/{jobId}");
        return await SendAsync(request, cancellationToken);
    }

    /// <summary>POST <c>api/jobs/{jobId}/{command}</c>.</summary>
    public async Task<ApiAnswer> CommandAsync(string jobId, string command, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/jobs/{jobId}/{command}");
        return await SendAsync(request, cancellationToken);
    }

    /// <summary>The failed-records NDJSON, one string per line.</summary>
    public async Task<IReadOnlyList<string>> FailedRecordsAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var text = await http.GetStringAsync($"api/jobs/{jobId}/failed-records", cancellationToken);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>GET of an absolute URL the API handed out (e.g. the built-in status URL).</summary>
    public async Task<ApiAnswer> GetAsync(string url, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendAsync(request, cancellationToken);
    }

    /// <summary>Polls the job's status until it is terminal, as a client honouring Retry-After would (faster, for tests).</summary>
    public async Task<JsonElement> WaitForTerminalAsync(string jobId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        JsonElement last = default;
        try
        {
            while (true)
            {
                var status = await StatusAsync(jobId, deadline.Token);
                Assert.True(status.Status == HttpStatusCode.OK, status.ToString());
                last = status.Json;
                if (TerminalStates.Contains(last.GetProperty("state").GetString()!))
                {
                    return last;
                }

                await Task.Delay(250, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Job {jobId} was not terminal within {timeout}; last status: {last}");
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds for the job's status document.</summary>
    public async Task<JsonElement> WaitForAsync(string jobId, Func<JsonElement, bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        JsonElement last = default;
        try
        {
            while (true)
            {
                var status = await StatusAsync(jobId, deadline.Token);
                if (status.Status == HttpStatusCode.OK)
                {
                    last = status.Json;
                    if (condition(last))
                    {
                        return last;
                    }
                }

                await Task.Delay(100, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Job {jobId}: the awaited condition did not hold within {timeout}; last status: {last}");
        }
    }

    private async Task<ApiAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        JsonElement json = default;
        if (text.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? false))
        {
            using var document = JsonDocument.Parse(text);
            json = document.RootElement.Clone();
        }

        return new ApiAnswer(response.StatusCode, headers, json, text);
    }
}

/// <summary>An HTTP answer: status, headers, JSON body (default when none) and the raw text.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, JsonElement Json, string Text)
{
    /// <summary>A header's value, or empty.</summary>
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : string.Empty;

    /// <inheritdoc/>
    public override string ToString() => $"{(int)Status} {Text}";
}
