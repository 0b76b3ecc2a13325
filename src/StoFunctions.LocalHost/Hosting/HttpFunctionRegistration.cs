namespace StoFunctions.Hosting;

/// <summary>
/// One group of HTTP functions: a callback that maps routes relative to the route prefix (<c>/api</c>).
/// Registered through <see cref="HttpFunctionExtensions.AddHttpFunctions"/>, so tests can add their own
/// routes to the real app with <c>ConfigureServices</c>.
/// </summary>
/// <param name="Map">Maps the group's routes, e.g. <c>api =&gt; api.MapGet("health", …)</c>.</param>
public sealed record HttpFunctionRegistration(Action<IEndpointRouteBuilder> Map);
