using System.Globalization;
using BulkDurable.Benchmarks;

// ./bench.sh runs this with the servers' settings in the environment.
//   BulkDurable.Benchmarks [--records N] [--runs N] [--parallelism N] [--chunk-records N] [--sweep] [--bulkdurable-only]
//   BulkDurable.Benchmarks worker JOB_FILE [--chunk-records N] [--parallelism N]   (internal: one job in its own process)
try
{
    if (args is ["worker", var jobFile, .. var rest])
    {
        int? Option(string name) => rest.IndexOf(name) is var i and >= 0 ? int.Parse(rest[i + 1], CultureInfo.InvariantCulture) : null;
        return await Worker.RunAsync(jobFile, Option("--chunk-records"), Option("--parallelism"));
    }

    return await new BenchmarkSuite(BenchSettings.Parse(args)).RunAsync();
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
