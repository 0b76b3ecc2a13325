using Microsoft.Azure.Functions.Worker.Builder;
using StoFunctions.Composition;
using StoFunctions.Hosting;

namespace StoFunctions;

/// <summary>
/// The Function App's entry point: the isolated worker with ASP.NET Core integration, started by the Azure
/// Functions host. (Locally, without that host, <c>src/StoFunctions.LocalHost</c> runs the same functions.)
/// </summary>
public static class FunctionApp
{
    /// <summary>Builds and runs the worker.</summary>
    public static void Main(string[] args)
    {
        FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<ProblemDetailsFunctionMiddleware>();
        builder.Services.AddStoFunctions(builder.Configuration);
        builder.Build().Run();
    }
}
