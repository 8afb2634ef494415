using BulkDurable.Functions;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Configuration;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The isolated worker with ASP.NET Core integration, so request bodies stream into Blob Storage
// instead of being buffered and sent over gRPC. Options are bound and validated at start-up: a missing
// or invalid setting stops the worker with a message naming the key (docs/configuration.md).
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Configuration.AddDatasetCatalog(AppContext.BaseDirectory);
builder.Services.AddBulkDurableIngestion(builder.Configuration);
builder.Services.AddBulkDurableApi(builder.Configuration);
builder.Services.AddBulkDurableFunctions();
builder.Build().Run();
