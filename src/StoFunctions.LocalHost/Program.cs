using StoFunctions;
using StoFunctions.Composition;
using StoFunctions.Hosting;
using StoFunctions.LocalHost.Functions;

// The Function App's functions without the Azure Functions host: same [Function] classes, same services
// (AddStoFunctions), with host.json, local.settings.json, function keys and the trigger listeners provided here.
WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.AddStoFunctionsHost();
builder.Services.AddStoFunctions(builder.Configuration);
builder.Services.AddFunctionsFrom(typeof(FunctionApp).Assembly, builder.Configuration);

WebApplication app = builder.Build();
app.UseStoFunctionsHost();
app.Run();

/// <summary>The local host's entry point, public so tests can host it with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
