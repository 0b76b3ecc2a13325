using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// A command too large for one entity-group transaction: its first transactions may be sent while the rest are still
/// allocated (<see cref="CommandRequest.FirstNoncesWritten"/>), and nothing is sent twice or out of order for it.
/// </summary>
public sealed class EarlySendingTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_first_chunk_is_sent_while_the_rest_of_a_large_command_waits_and_every_transaction_goes_out_once()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 120).Select(i => "early-" + i)];
        using var reached = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        int calls = 0;
        CommandRequest request = PipelineRig.ExecCommand(oracle, ids, "early") with
        {
            // Holds the allocation after its first chunk, so the test sees the lane at work before the rest exist.
            FirstNoncesWritten = () =>
            {
                Interlocked.Increment(ref calls);
                reached.Release();
                release.Wait();
            },
        };
        Task<string> submitted = rig.NewCommandService().SubmitAsync(request);
        Assert.True(await reached.WaitAsync(s_timeout), "the allocation did not report its first chunk");

        LedgerAccount partial = (await rig.Ledger.GetAccountAsync(rig.Lane))!;
        ulong first = partial.FirstNonce;
        Assert.Equal(first + NonceAllocator.MaxIntentsPerBatch, partial.NextNonce);
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);
        List<LedgerTransaction> sentEarly = await rig.Ledger.GetTransactionsAsync(rig.Lane, first);
        Assert.Equal(NonceAllocator.MaxIntentsPerBatch, sentEarly.Count);
        Assert.All(sentEarly, tx => Assert.Equal(TransactionState.Confirmed, tx.State));
        Assert.False(submitted.IsCompleted);

        release.Release();
        string id = await submitted.WaitAsync(s_timeout);
        Assert.Equal(1, calls);
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);
        CommandStatus status = await rig.StatusAsync(id);
        Assert.Equal(CommandRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal([.. Enumerable.Range(0, ids.Length).Select(i => first + (ulong)i)], [.. status.Output!.Transactions.Select(t => t.Nonce)]);
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    [Fact]
    public async Task A_command_that_fits_one_transaction_is_not_reported_early()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        int calls = 0;
        CommandRequest request = PipelineRig.ExecCommand(oracle, [.. Enumerable.Range(0, NonceAllocator.MaxIntentsPerBatch).Select(i => "fits-" + i)], "fits") with
        {
            FirstNoncesWritten = () => Interlocked.Increment(ref calls),
        };
        await rig.NewCommandService().SubmitAsync(request);
        Assert.Equal(0, calls);
    }
}
