using System.Reflection;

namespace StoFunctions.Functions.Health;

/// <summary>
/// <c>GET /api/health</c>, anonymous (the only route without a key): the app's status and each dependency's
/// (<see cref="DependencyHealth"/>). 200 while the status is Healthy or Degraded, 503 when Unhealthy, so a load
/// balancer or App Service health check takes an instance that cannot reach storage or the node out of rotation.
/// </summary>
public static class GetHealth
{
    private static readonly string s_version =
        typeof(GetHealth).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary><c>GET /api/health</c>, anonymous.</summary>
    [Function("GetHealth")]
    public static Task<IResult> GetHealthAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        HandleAsync(request.HttpContext.RequestServices.GetRequiredService<DependencyHealth>());

    /// <summary>Checks the dependencies (bounded by <see cref="DependencyHealth.Timeout"/>) and answers.</summary>
    public static async Task<IResult> HandleAsync(DependencyHealth health)
    {
        IReadOnlyDictionary<string, DependencyStatus> dependencies = await health.CheckAsync().ConfigureAwait(false);
        string status = DependencyHealth.Worst(dependencies.Values.Select(d => d.Status));
        var body = new Response(status, s_version, dependencies);
        return Results.Json(body, statusCode: status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    /// <summary>The health body: <c>{ "status": "Healthy", "version": "…", "dependencies": { "storage": {…}, "chain": {…} } }</c>.</summary>
    /// <param name="Status">The worst dependency status (Healthy when none is configured).</param>
    /// <param name="Version">The app's informational version.</param>
    /// <param name="Dependencies">Each configured dependency: <c>storage</c> when AzureWebJobsStorage is set, <c>chain</c> when Ethereum:RpcUrl is.</param>
    public sealed record Response(string Status, string Version, IReadOnlyDictionary<string, DependencyStatus> Dependencies);
}
