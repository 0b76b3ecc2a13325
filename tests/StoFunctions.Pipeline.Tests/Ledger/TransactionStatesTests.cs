using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Tests.Ledger;

public sealed class TransactionStatesTests
{
    public static TheoryData<TransactionState> Terminal => [TransactionState.Confirmed, TransactionState.Failed, TransactionState.NonceConsumedExternally];

    [Theory]
    [MemberData(nameof(Terminal))]
    public void CanMove_FromTerminalState_IsAlwaysFalse(TransactionState terminal)
    {
        foreach (TransactionState to in Enum.GetValues<TransactionState>())
        {
            Assert.False(TransactionStates.CanMove(terminal, to), $"{terminal} -> {to}");
        }
    }

    [Theory]
    [InlineData(TransactionState.Planned, TransactionState.Broadcast)]
    [InlineData(TransactionState.Planned, TransactionState.Confirmed)]
    [InlineData(TransactionState.Planned, TransactionState.NonceConsumedExternally)]
    [InlineData(TransactionState.Mined, TransactionState.Planned)]
    [InlineData(TransactionState.Mined, TransactionState.Signed)]
    [InlineData(TransactionState.Broadcast, TransactionState.Planned)]
    public void CanMove_SkippingWriteAhead_IsRejected(TransactionState from, TransactionState to)
    {
        Assert.False(TransactionStates.CanMove(from, to));
        Assert.Throws<PipelineException>(() => TransactionStates.EnsureCanMove(from, to, 7));
    }

    [Theory]
    [InlineData(TransactionState.Planned, TransactionState.Signed)]
    [InlineData(TransactionState.Signed, TransactionState.Broadcast)]
    [InlineData(TransactionState.Broadcast, TransactionState.Mined)]
    [InlineData(TransactionState.Mined, TransactionState.Confirmed)]
    [InlineData(TransactionState.Mined, TransactionState.Failed)]
    [InlineData(TransactionState.Mined, TransactionState.Broadcast)]
    [InlineData(TransactionState.Broadcast, TransactionState.NonceConsumedExternally)]
    [InlineData(TransactionState.Signed, TransactionState.Planned)]
    public void CanMove_DesignedEdges_AreAllowed(TransactionState from, TransactionState to)
    {
        Assert.True(TransactionStates.CanMove(from, to));
    }
}
