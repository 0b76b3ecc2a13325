using Microsoft.Azure.Functions.Worker;
namespace StoFunctions.Hosting;

/// <summary>
/// The way HTTP functions join the app: register a mapping callback in <c>Program.cs</c>
/// (<c>builder.Services.AddHttpFunctions(IssueToken.Map)</c>), give each route its level with
/// <see cref="WithAuthorizationLevel{TBuilder}"/>; routes without a level need a function key.
/// </summary>
public static class HttpFunctionExtensions
{
    /// <summary>The Azure Functions default route prefix (<c>extensions.http.routePrefix</c> in host.json).</summary>
    public const string DefaultRoutePrefix = "api";

    /// <summary>Adds a group of HTTP functions; <paramref name="map"/> maps routes relative to the route prefix.</summary>
    public static IServiceCollection AddHttpFunctions(this IServiceCollection services, Action<IEndpointRouteBuilder> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return services.AddSingleton(new HttpFunctionRegistration(map));
    }

    /// <summary>Sets the key an endpoint (or a whole group) demands.</summary>
    public static TBuilder WithAuthorizationLevel<TBuilder>(this TBuilder builder, AuthorizationLevel level)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AuthorizationLevelMetadata(level));

    /// <summary>
    /// Maps every registered group under the route prefix from host.json
    /// (<c>AzureFunctionsJobHost:extensions:http:routePrefix</c>, default <c>api</c>).
    /// </summary>
    public static RouteGroupBuilder MapHttpFunctions(this WebApplication app)
    {
        string prefix = app.Configuration[FunctionsConfiguration.HostSection + ":extensions:http:routePrefix"] ?? DefaultRoutePrefix;
        RouteGroupBuilder api = app.MapGroup("/" + prefix.Trim('/'));
        foreach (HttpFunctionRegistration registration in app.Services.GetServices<HttpFunctionRegistration>())
        {
            registration.Map(api);
        }

        return api;
    }
}
