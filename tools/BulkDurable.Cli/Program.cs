using System.Runtime.InteropServices;
using BulkDurable.Cli;
using BulkDurable.Cli.Hosting;

// Ctrl-C and SIGTERM cancel the command's token: a load finalizes its job as cancelled and exits
// with 130. A second Ctrl-C is not intercepted and ends the process at once (nothing is lost:
// chunks in flight roll back, and the same command resumes the job).
using var interruption = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopGracefullyOnce);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopGracefullyOnce);

var environment = CliEnvironment.FromConsole(CliConfiguration.FromProcess());
return await BulkDurableCli.InvokeAsync(args, environment, interruption.Token).ConfigureAwait(false);

void StopGracefullyOnce(PosixSignalContext context)
{
    if (!interruption.IsCancellationRequested)
    {
        context.Cancel = true;
        interruption.Cancel();
    }
}
