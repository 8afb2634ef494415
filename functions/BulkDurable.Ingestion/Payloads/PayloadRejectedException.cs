using BulkDurable.Ingestion.Payloads.Scanning;

namespace BulkDurable.Ingestion.Payloads;

/// <summary>
/// A payload that cannot be loaded at all: empty, not the declared format, a CSV header that does
/// not match the dataset, a corrupt or over-expanding gzip stream. Permanent: retrying cannot help.
/// </summary>
public sealed class PayloadRejectedException : Exception
{
    /// <summary>Creates the exception for a problem.</summary>
    public PayloadRejectedException(PayloadProblem problem, Exception? innerException = null)
        : base(problem?.Line > 0 ? $"Line {problem.Line}: {problem.Message}" : problem?.Message, innerException) =>
        Problem = problem ?? throw new ArgumentNullException(nameof(problem));

    /// <summary>What is wrong, and where.</summary>
    public PayloadProblem Problem { get; }
}
