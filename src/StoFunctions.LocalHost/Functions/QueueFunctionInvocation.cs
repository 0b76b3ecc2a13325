using System.Reflection;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using StoFunctions.Runtime;

namespace StoFunctions.LocalHost.Functions;

/// <summary>
/// A <c>[QueueTrigger]</c> function as the queue listener's handler: the message binds as
/// <see cref="QueueMessage"/>, <see cref="BinaryData"/> or <see cref="string"/> (the decoded body), like the
/// worker's Storage.Queues extension; <see cref="CancellationToken"/> is the invocation's.
/// </summary>
internal sealed class QueueFunctionInvocation(FunctionMethod function, IServiceProvider services) : IQueueFunction
{
    private const string Bindable = "the [QueueTrigger] message as QueueMessage, BinaryData or string, CancellationToken and " + DurableClientBinding.Bindable;

    /// <summary>Checks at startup that every parameter of <paramref name="function"/> can be bound.</summary>
    public static void Validate(FunctionMethod function)
    {
        foreach (ParameterInfo parameter in function.Parameters)
        {
            bool trigger = parameter.GetCustomAttribute<QueueTriggerAttribute>() is not null;
            if (!(trigger && (parameter.ParameterType == typeof(QueueMessage) || parameter.ParameterType == typeof(BinaryData) || parameter.ParameterType == typeof(string)))
                && parameter.ParameterType != typeof(CancellationToken) && !DurableClientBinding.Binds(parameter))
            {
                throw function.Unbindable(parameter, Bindable);
            }
        }
    }

    /// <inheritdoc />
    public async Task RunAsync(QueueTriggerMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        object?[] arguments = function.Parameters.Select(p =>
            p.ParameterType == typeof(CancellationToken) ? cancellationToken
            : DurableClientBinding.Binds(p) ? DurableClientBinding.Resolve(services)
            : p.ParameterType == typeof(QueueMessage) ? QueuesModelFactory.QueueMessage(message.MessageId, popReceipt: null, message.Body, message.DequeueCount, insertedOn: message.InsertedOn, expiresOn: message.ExpiresOn)
            : p.ParameterType == typeof(BinaryData) ? message.Body
            : (object)message.BodyText).ToArray();
        await function.InvokeAsync(services, arguments).ConfigureAwait(false);
    }
}
