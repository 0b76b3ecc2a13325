using System.Reflection;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using StoFunctions.Runtime;

namespace StoFunctions.LocalHost.Functions;

/// <summary>
/// A <c>[BlobTrigger]</c> function as the blob listener's handler: the blob binds as <see cref="BlobClient"/>
/// (the worker's SDK-type binding), string parameters by the trigger path's names, and
/// <see cref="CancellationToken"/> is the invocation's.
/// </summary>
internal sealed class BlobFunctionInvocation(FunctionMethod function, BlobPath path, IServiceProvider services) : IBlobFunction
{
    private const string Bindable = "the [BlobTrigger] blob as BlobClient, string parameters named in the trigger path, CancellationToken and " + DurableClientBinding.Bindable;

    /// <summary>Checks at startup that every parameter of <paramref name="function"/> can be bound.</summary>
    public static void Validate(FunctionMethod function, BlobPath path)
    {
        foreach (ParameterInfo parameter in function.Parameters)
        {
            bool trigger = parameter.GetCustomAttribute<BlobTriggerAttribute>() is not null;
            bool ok = trigger
                ? parameter.ParameterType == typeof(BlobClient)
                : parameter.ParameterType == typeof(CancellationToken) || DurableClientBinding.Binds(parameter) || (parameter.ParameterType == typeof(string) && path.Parameters.Contains(parameter.Name!, StringComparer.OrdinalIgnoreCase));
            if (!ok)
            {
                throw function.Unbindable(parameter, Bindable);
            }
        }
    }

    /// <inheritdoc />
    public async Task RunAsync(BlobTriggerContext blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        IReadOnlyDictionary<string, string> values = path.Match(blob.BlobName) ?? new Dictionary<string, string>();
        object?[] arguments = function.Parameters.Select(p =>
            p.ParameterType == typeof(CancellationToken) ? cancellationToken
            : p.ParameterType == typeof(BlobClient) ? blob.Blob
            : DurableClientBinding.Binds(p) ? DurableClientBinding.Resolve(services)
            : (object?)values.GetValueOrDefault(p.Name!)).ToArray();
        await function.InvokeAsync(services, arguments).ConfigureAwait(false);
    }
}
