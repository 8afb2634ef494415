namespace BulkDurable.Cli.Tests.Infrastructure;

/// <summary>Job ids unique to one test run: the ledger outlives test containers, so a reused id would find old chunks.</summary>
internal static class TestJobIds
{
    public static string New(string purpose) => $"{purpose}-{Guid.NewGuid():N}"[..(purpose.Length + 13)];
}
