namespace StoFunctions.Pipeline.Ledger;

/// <summary>The allowed transitions between <see cref="TransactionState"/>s; every ledger write checks them.</summary>
public static class TransactionStates
{
    /// <summary>True for states the lane never leaves.</summary>
    public static bool IsTerminal(TransactionState state) =>
        state is TransactionState.Confirmed or TransactionState.Failed or TransactionState.NonceConsumedExternally;

    /// <summary>
    /// True when <paramref name="from"/> → <paramref name="to"/> is a legal step. Staying in a state is legal
    /// (a rebroadcast or a new attempt). Back edges: Mined → Broadcast (reorg); Planned → Planned when a
    /// deterministic rejection turns the row into a no-op filler; Signed/Broadcast → Signed for a fee bump
    /// that is persisted before it is sent.
    /// </summary>
    public static bool CanMove(TransactionState from, TransactionState to)
    {
        if (from == to)
        {
            return !IsTerminal(from);
        }

        return (from, to) switch
        {
            (TransactionState.Planned, TransactionState.Signed) => true,
            (TransactionState.Signed, TransactionState.Broadcast) => true,
            (TransactionState.Signed, TransactionState.Planned) => true,
            (TransactionState.Broadcast, TransactionState.Signed) => true,
            (TransactionState.Signed or TransactionState.Broadcast, TransactionState.Mined) => true,
            (TransactionState.Signed or TransactionState.Broadcast or TransactionState.Mined, TransactionState.Confirmed or TransactionState.Failed) => true,
            (TransactionState.Mined, TransactionState.Broadcast) => true,
            (TransactionState.Signed or TransactionState.Broadcast, TransactionState.NonceConsumedExternally) => true,
            _ => false,
        };
    }

    /// <summary>Throws when <see cref="CanMove"/> is false.</summary>
    /// <exception cref="PipelineException">The transition is not allowed.</exception>
    public static void EnsureCanMove(TransactionState from, TransactionState to, ulong nonce)
    {
        if (!CanMove(from, to))
        {
            throw new PipelineException($"Transaction with nonce {nonce} cannot move from {from} to {to}; this is a pipeline bug, the ledger row was left unchanged.");
        }
    }
}
