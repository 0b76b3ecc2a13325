namespace StoFunctions.Functions.Health;

/// <summary>The status values of <c>GET /api/health</c> (the names ASP.NET Core health checks use).</summary>
public static class HealthStatus
{
    /// <summary>Everything answers.</summary>
    public const string Healthy = "Healthy";

    /// <summary>Everything answers, but slowly or with a stale chain head; the API still serves (HTTP 200).</summary>
    public const string Degraded = "Degraded";

    /// <summary>A dependency does not answer; commands cannot progress (HTTP 503).</summary>
    public const string Unhealthy = "Unhealthy";
}
