using BulkDurable.Ingestion.Api;

namespace BulkDurable.Functions.Admission;

/// <summary>A submission the service does not take now.</summary>
/// <param name="Problem">The 429 problem.</param>
/// <param name="RetryAfter">When to try again (the <c>Retry-After</c> header, rounded up to seconds).</param>
public sealed record AdmissionRefusal(ApiProblem Problem, TimeSpan RetryAfter);
