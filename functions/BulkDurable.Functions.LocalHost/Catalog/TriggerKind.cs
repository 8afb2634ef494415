namespace BulkDurable.Functions.LocalHost.Catalog;

/// <summary>The triggers the local host serves (the binding types of <c>functions.metadata</c>).</summary>
public enum TriggerKind
{
    /// <summary><c>httpTrigger</c>: an HTTP route of the app.</summary>
    Http,

    /// <summary><c>orchestrationTrigger</c>: a Durable orchestrator.</summary>
    Orchestration,

    /// <summary><c>activityTrigger</c>: a Durable activity.</summary>
    Activity,

    /// <summary><c>entityTrigger</c>: a Durable entity.</summary>
    Entity,

    /// <summary><c>timerTrigger</c>: a function run on an NCRONTAB schedule.</summary>
    Timer,
}
