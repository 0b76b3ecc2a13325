using StoFunctions.Composition;
using StoFunctions.Functions.Health;
using StoFunctions.Functions.Scanning;
using StoFunctions.Hosting;
using StoFunctions.Runtime;

var builder = WebApplication.CreateBuilder(args);
builder.AddStoFunctionsHost();
builder.AddStoPlatform();

// HTTP functions: one line per feature; each maps its routes under /api and states its authorization level.
builder.Services.AddHealth();
builder.Services.AddScanner(builder.Configuration);

// Queue, blob and timer functions: AddQueueFunction / AddBlobFunction / AddTimerFunction (host.json configures them).
builder.Services.AddTriggerRuntime();

var app = builder.Build();
app.UseStoFunctionsHost();
app.Run();

/// <summary>The app's entry point, public so tests can host it with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
