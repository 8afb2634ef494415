using BulkDurable.Ingestion.Loading;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

namespace BulkDurable.Functions.Orchestration;

/// <summary>
/// What a job's result may say about a failed step. The failures our activities raise on purpose carry
/// safe messages (a <see cref="FailureReport"/>); anything else (a wrapper's text, an unexpected
/// exception) may hold server, table or statement names and is reported by its type only. The
/// orchestrator logs the full failure with the job id.
/// </summary>
public static class OrchestrationFailures
{
    /// <summary>The safe description of a failed activity, sub-orchestration or entity call.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var details = exception switch
        {
            TaskFailedException task => task.FailureDetails,
            EntityOperationFailedException entity => entity.FailureDetails,
            _ => null,
        };
        return details is null ? $"an internal error ({exception.GetType().Name})" : Describe(details);
    }

    /// <summary>The safe description of <paramref name="failure"/> (and the failures it wraps).</summary>
    public static string Describe(TaskFailureDetails failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var innermost = failure;
        for (var current = failure; current is not null; current = current.InnerFailure)
        {
            if (current.IsCausedBy<ChunkLoadFailedException>() || current.IsCausedBy<RetryableIngestionException>() || current.IsCausedBy<RunEndedException>())
            {
                return current.ErrorMessage;
            }

            innermost = current;
        }

        var type = innermost.ErrorType;
        return $"an internal error ({type[(type.LastIndexOf('.') + 1)..]}); the service log has the details";
    }
}
