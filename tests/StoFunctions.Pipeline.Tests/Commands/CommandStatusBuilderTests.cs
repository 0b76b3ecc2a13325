using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Tests.Commands;

public sealed class CommandStatusBuilderTests
{
    private static readonly JsonElement s_input = JsonDocument.Parse("{}").RootElement;
    private static readonly DateTimeOffset s_time = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EveryNonceHasAConfirmedRow_Completed_WithEveryHash()
    {
        CommandStatus status = CommandStatusBuilder.Build("c1", "distribute", s_input, planned: true, nonceCount: 3, [Confirmed(7), Confirmed(8), Confirmed(9)], s_time, s_time);

        Assert.Equal(CommandRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(new CommandProgress(3, 0, 0, 0, 0, 3, 0), status.CustomStatus);
        Assert.Equal([7UL, 8UL, 9UL], status.Output!.Transactions.Select(t => t.Nonce));
    }

    [Fact]
    public void RowsOfSomeNoncesLost_TheRestConfirmed_RunningNotCompleted_AndTheTotalCountsTheLostOnes()
    {
        // What an orchestration's poll read while a table was being emptied: had this said Completed, the instance
        // would have ended with two of three transactions as its output and served that for good.
        CommandStatus status = CommandStatusBuilder.Build("c1", "distribute", s_input, planned: true, nonceCount: 3, [Confirmed(7), Confirmed(9)], s_time, s_time);

        Assert.Equal(CommandRuntimeStatus.Running, status.RuntimeStatus);
        Assert.Equal(new CommandProgress(3, 0, 0, 0, 0, 2, 0), status.CustomStatus);
        Assert.Null(status.Error);
    }

    private static LedgerTransaction Confirmed(ulong nonce) => new()
    {
        Nonce = nonce,
        State = TransactionState.Confirmed,
        MinedHash = Hash32.FromBytes(Enumerable.Repeat((byte)nonce, 32).ToArray()),
        CreatedTime = s_time,
        UpdatedTime = s_time,
    };
}
