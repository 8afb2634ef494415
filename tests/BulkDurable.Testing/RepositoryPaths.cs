namespace BulkDurable.Testing;

/// <summary>Locations in the repository, found from the test assembly's folder.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root (the folder holding BulkDurable.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path below the root.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BulkDurable.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (BulkDurable.sln) above " + AppContext.BaseDirectory);
    }
}
