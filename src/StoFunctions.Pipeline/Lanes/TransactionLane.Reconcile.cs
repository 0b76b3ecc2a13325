using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Lanes;

public sealed partial class TransactionLane
{
    /// <summary>
    /// Invariant 0 on the sending side: the chain's nonce passed every row the lane knows, so the chain holds
    /// transactions of this sender the ledger lost (or never had). Nothing is sent until reconciliation has rebuilt
    /// their rows; then the view is reloaded. Planning reconciles too, so this normally finds nothing to do.
    /// </summary>
    /// <returns>True when rows were rebuilt (the step ends and the lane reloads).</returns>
    private async Task<bool> ReconcileIfChainAheadAsync(ChainFacts facts, CancellationToken cancellationToken)
    {
        if (facts.LatestNonce <= _nextUnseen)
        {
            return false;
        }

        EnsureLease();
        (_, int written) = await _reconciler.ReconcileAsync(Lane, _nextUnseen, cancellationToken).ConfigureAwait(false);
        if (written == 0)
        {
            return false;
        }

        _loaded = false;
        _open.Clear();
        return true;
    }
}
