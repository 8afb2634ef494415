using BulkDurable.FaultWorker;

// Usage:
//   BulkDurable.FaultWorker run    --job-id ID --dataset NAME --format Ndjson|JsonArray|Csv [--compression None|Gzip] --payload FILE [options]
//   BulkDurable.FaultWorker resume --job-id ID [options]
// Options: --kill-at FaultPoint --kill-on N (SIGKILL when the point is reached the Nth time), --parallelism N.
// Settings come from BulkDurable__* environment variables. Prints one JSON line: {"chunksSkipped":N,"result":{...}}.
WorkerArguments arguments;
try
{
    arguments = WorkerArguments.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}

return await WorkerRun.RunAsync(arguments, CancellationToken.None);
