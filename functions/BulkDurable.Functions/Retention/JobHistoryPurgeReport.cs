namespace BulkDurable.Functions.Retention;

/// <summary>What one purge run removed.</summary>
/// <param name="Cutoff">Orchestrations created and entities last changed before this were in scope.</param>
/// <param name="InstancesPurged">Finished orchestration instances (jobs and their segments) whose history was removed.</param>
/// <param name="EntitiesDeleted">Entities whose state was deleted (a signal: the entity deletes it on its next turn).</param>
/// <param name="EmptyEntitiesRemoved">Entities left empty by an earlier run, removed from storage.</param>
/// <param name="OrphanedLocksReleased">Entity locks held by orchestrations that no longer exist, released.</param>
public sealed record JobHistoryPurgeReport(DateTimeOffset Cutoff, int InstancesPurged, int EntitiesDeleted, int EmptyEntitiesRemoved, int OrphanedLocksReleased);
