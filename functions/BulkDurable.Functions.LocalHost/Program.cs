using BulkDurable.Functions;
using BulkDurable.Functions.LocalHost;

// The local Durable host: the Functions app's own functions on DurableTask.Core with the Azure Storage
// backend, and its HTTP functions on the routes the Functions host gives them (docs/functions.md).
var builder = WebApplication.CreateBuilder(args);
builder.AddBulkDurableApp();
builder.AddLocalFunctionsHost();
var app = builder.Build();
app.MapLocalFunctionsHost();
await app.RunAsync().ConfigureAwait(false);
