using System.Reflection;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;
using StoFunctions.Hosting;

namespace StoFunctions.LocalHost.Functions;

/// <summary>
/// An <c>[HttpTrigger]</c> function as an ASP.NET Core endpoint: the attribute's route under the route prefix,
/// its methods, and its authorization level for <see cref="FunctionKeyMiddleware"/>. Binds what the functions
/// use from the worker's ASP.NET Core integration: the <see cref="HttpRequest"/>, route parameters (by name, as
/// strings), the <see cref="CancellationToken"/> (the request's) and <c>[DurableClient]</c>. The returned <see cref="IResult"/> is
/// executed; a function returning nothing has written the response itself.
/// </summary>
internal static class HttpFunctionEndpoint
{
    private const string Bindable = "the [HttpTrigger] HttpRequest, string route parameters, CancellationToken and " + DurableClientBinding.Bindable;

    /// <summary>Maps <paramref name="function"/> (which has <paramref name="trigger"/>) on <paramref name="api"/>.</summary>
    public static void Map(IEndpointRouteBuilder api, FunctionMethod function, HttpTriggerAttribute trigger)
    {
        string route = trigger.Route ?? function.Name;
        string[] methods = trigger.Methods is { Length: > 0 } m ? m.Select(x => x.ToUpperInvariant()).ToArray() : ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
        Type returns = function.Method.ReturnType;
        if (!(returns == typeof(void) || returns == typeof(Task) || typeof(IResult).IsAssignableFrom(returns) || returns == typeof(Task<IResult>)))
        {
            throw new InvalidOperationException($"HTTP function {function.Name} ({function.Describe()}) returns {returns.Name}; the local host runs functions that return IResult, Task<IResult>, Task or void. Return an IResult (Results.*, TypedResults.*).");
        }

        RoutePattern pattern = RoutePatternFactory.Parse(route);
        Func<HttpContext, object?>[] binders = function.Parameters.Select(p => Binder(function, p, pattern)).ToArray();
        api.MapMethods(route, methods, async context =>
        {
            object? result = await function.InvokeAsync(context.RequestServices, binders.Select(b => b(context)).ToArray()).ConfigureAwait(false);
            if (result is IResult answer)
            {
                await answer.ExecuteAsync(context).ConfigureAwait(false);
            }
        })
        .WithName(function.Name)
        .WithAuthorizationLevel(trigger.AuthLevel);
    }

    private static Func<HttpContext, object?> Binder(FunctionMethod function, ParameterInfo parameter, RoutePattern pattern)
    {
        if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is not null)
        {
            return parameter.ParameterType == typeof(HttpRequest)
                ? context => context.Request
                : throw function.Unbindable(parameter, Bindable);
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return context => context.RequestAborted;
        }

        if (DurableClientBinding.Binds(parameter))
        {
            return context => DurableClientBinding.Resolve(context.RequestServices);
        }

        string name = parameter.Name!;
        if (parameter.ParameterType == typeof(string) && pattern.GetParameter(name) is not null)
        {
            return context => context.Request.RouteValues.TryGetValue(name, out object? value) ? value?.ToString() : null;
        }

        throw function.Unbindable(parameter, Bindable);
    }
}
