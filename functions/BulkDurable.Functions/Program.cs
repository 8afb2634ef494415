using BulkDurable.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The isolated worker with ASP.NET Core integration, so request bodies stream into Blob Storage
// instead of being buffered and sent over gRPC.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddBulkDurableApp();
builder.Build().Run();
