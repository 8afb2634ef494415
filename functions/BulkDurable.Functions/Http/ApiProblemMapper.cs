using System.Diagnostics.CodeAnalysis;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Running;
using BulkDurable.Ingestion.Staging;

namespace BulkDurable.Functions.Http;

/// <summary>Maps the engine's client-caused exceptions to their <see cref="ApiProblem"/>.</summary>
public static class ApiProblemMapper
{
    /// <summary>
    /// The problem a client caused, or false for anything else (a server error: log it and answer
    /// 500 without details).
    /// </summary>
    public static bool TryMap(Exception exception, [NotNullWhen(true)] out ApiProblem? problem)
    {
        ArgumentNullException.ThrowIfNull(exception);
        problem = exception switch
        {
            PayloadTooLargeException tooLarge => ApiProblem.TooLarge(tooLarge),
            PayloadRejectedException rejected => ApiProblem.PayloadRejected(rejected),
            UnknownDatasetException unknown => ApiProblem.UnknownDataset(unknown.DatasetName),
            JobConflictException conflict => ApiProblem.JobConflict(conflict),
            _ => null,
        };
        return problem is not null;
    }
}
