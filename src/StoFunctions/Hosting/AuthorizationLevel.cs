namespace StoFunctions.Hosting;

/// <summary>
/// Which key an HTTP function demands, with the names and meaning of Azure Functions' <c>authLevel</c>.
/// </summary>
public enum AuthorizationLevel
{
    /// <summary>No key needed (only <c>GET /api/health</c>).</summary>
    Anonymous,

    /// <summary>A function key or the admin key (the default for every route that says nothing).</summary>
    Function,

    /// <summary>Only the admin key (Azure's master key).</summary>
    Admin,
}
