using Microsoft.Azure.Functions.Worker;
namespace StoFunctions.Hosting;

/// <summary>Endpoint metadata that <see cref="FunctionKeyMiddleware"/> reads to decide which key a route needs.</summary>
/// <param name="Level">The level the route demands.</param>
public sealed record AuthorizationLevelMetadata(AuthorizationLevel Level);
