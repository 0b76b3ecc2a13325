namespace StoFunctions.Ethereum.Rpc;

/// <summary>
/// Told when a <see cref="JsonRpcClient"/>'s node stops answering and when it answers again, once per stall (not per
/// call), so a frozen node produces one warning instead of silence or a line per retry.
/// </summary>
public interface IRpcStallObserver
{
    /// <summary>A call of <paramref name="method"/> has been outstanding for <paramref name="outstanding"/> (≥ the threshold) and no stall was reported yet.</summary>
    void Stalled(Uri endpoint, string method, TimeSpan outstanding);

    /// <summary>The node answered again after a reported stall that lasted <paramref name="stalledFor"/>.</summary>
    void Recovered(Uri endpoint, string method, TimeSpan stalledFor);
}
