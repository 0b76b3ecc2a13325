using Microsoft.Extensions.Logging;
using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Pipeline;

/// <summary>Logs a node's stalls (one warning when a call has been outstanding too long, one line when it answers again).</summary>
public sealed class RpcStallLog(ILogger logger) : IRpcStallObserver
{
    /// <inheritdoc />
    public void Stalled(Uri endpoint, string method, TimeSpan outstanding) =>
        Log.RpcStalled(logger, endpoint.GetLeftPart(UriPartial.Path), method, outstanding.TotalSeconds);

    /// <inheritdoc />
    public void Recovered(Uri endpoint, string method, TimeSpan stalledFor) =>
        Log.RpcRecovered(logger, endpoint.GetLeftPart(UriPartial.Path), stalledFor.TotalSeconds);
}
