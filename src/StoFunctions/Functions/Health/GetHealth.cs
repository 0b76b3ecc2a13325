using System.Reflection;
using StoFunctions.Hosting;

namespace StoFunctions.Functions.Health;

/// <summary><c>GET /api/health</c>: liveness, anonymous (the only route without a key).</summary>
public static class GetHealth
{
    private static readonly string s_version =
        typeof(GetHealth).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Maps the route relative to the route prefix.</summary>
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("health", Handle).WithName("GetHealth").WithAuthorizationLevel(AuthorizationLevel.Anonymous);

    /// <summary>Answers 200 while the process serves requests.</summary>
    public static Response Handle() => new("Healthy", s_version);

    /// <summary>The health body: <c>{ "status": "Healthy", "version": "…" }</c>.</summary>
    /// <param name="Status">Always <c>Healthy</c> when the process answers.</param>
    /// <param name="Version">The app's informational version.</param>
    public sealed record Response(string Status, string Version);
}
