using System.Net.Sockets;
using Azure;
using Azure.Data.Tables.Models;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues.Models;
using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Pipeline.Outages;

/// <summary>
/// Classifies the exceptions a background loop sees from storage and the node. The Azure pipeline throws an
/// <see cref="AggregateException"/> of <see cref="RequestFailedException"/>s (status 0) once its own retries of a
/// refused connection are spent, and a <see cref="TaskCanceledException"/> when its network timeout fires, so a loop
/// that catches only <see cref="RequestFailedException"/> ends on the first real outage (issue #14 item 2).
/// </summary>
public static class DependencyFailure
{
    private static readonly string[] s_missingCodes = [TableErrorCode.TableNotFound.ToString(), BlobErrorCode.ContainerNotFound.ToString(), QueueErrorCode.QueueNotFound.ToString()];

    /// <summary>
    /// True when <paramref name="exception"/> (or any exception it wraps) says a table, container or queue does not
    /// exist: the caller should create it again (it was deleted while the app ran) and retry.
    /// </summary>
    public static bool IsMissingResource(Exception exception) =>
        All(exception).Any(e => e is RequestFailedException { Status: 404 } failed && s_missingCodes.Contains(failed.ErrorCode, StringComparer.Ordinal));

    /// <summary>
    /// True when the dependency did not answer (connection refused or reset, timeout, HTTP 408/429/5xx, a JSON-RPC
    /// transport failure): the same call may succeed later, so the loop backs off instead of giving up. A node's
    /// JSON-RPC error answer or a storage 4xx is an answer, not an outage.
    /// </summary>
    /// <param name="exception">What the call threw.</param>
    /// <param name="stopping">The caller's shutdown token; a cancellation it caused is shutdown, not an outage.</param>
    public static bool IsUnreachable(Exception exception, CancellationToken stopping = default)
    {
        if (stopping.IsCancellationRequested && exception is OperationCanceledException)
        {
            return false;
        }

        return All(exception).Any(e => e switch
        {
            RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500,
            JsonRpcTransportException => true,
            HttpRequestException or IOException or SocketException or TimeoutException => true,
            OperationCanceledException => !stopping.IsCancellationRequested,
            _ => false,
        });
    }

    /// <summary>
    /// A short description of the failure for logs and health: the exception types and storage error codes, never
    /// the message (a node URL can carry an API key; a storage message names the account).
    /// </summary>
    public static string Describe(Exception exception)
    {
        Exception inner = All(exception).LastOrDefault(e => e is not AggregateException) ?? exception;
        return inner switch
        {
            RequestFailedException { Status: 0 } => "no connection to storage",
            RequestFailedException failed => $"storage answered HTTP {failed.Status}{(failed.ErrorCode is { Length: > 0 } code ? " " + code : "")}",
            JsonRpcTimeoutException => "the node did not answer in time",
            JsonRpcTransportException transport => transport.HttpStatus is int status ? $"the node answered HTTP {status}" : "no connection to the node",
            JsonRpcException rpc => $"the node answered JSON-RPC error {rpc.Code}",
            OperationCanceledException or TimeoutException => "no answer in time",
            HttpRequestException or IOException or SocketException => "connection failed",
            _ => inner.GetType().Name,
        };
    }

    private static IEnumerable<Exception> All(Exception exception)
    {
        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.Count > 0)
        {
            Exception e = pending.Pop();
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (Exception inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
