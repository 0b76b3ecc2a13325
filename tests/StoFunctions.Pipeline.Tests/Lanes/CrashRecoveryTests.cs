using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Fees;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// Crash points S3–S6 and S24 (research/txpipeline.md §8.2), in process: the crash point throws, every
/// in-memory object is abandoned, and a fresh service/lane continues from Azurite and anvil alone.
/// </summary>
public sealed class CrashRecoveryTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task S3_CrashAfterNonceAllocation_ResumeKeepsTheSameNonces_OneEffectEach()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = ["s3-a", "s3-b", "s3-c"];
        FaultInjector faults = FaultInjector.Throwing();
        faults.Arm(CrashPoint.AfterNonceAllocation);
        await Assert.ThrowsAsync<SimulatedCrashException>(() => rig.NewCommandService(faults).SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "s3")));
        LedgerAccount before = (await rig.Ledger.GetAccountAsync(rig.Lane))!;
        Assert.Equal(CommandRuntimeStatus.Pending, (await rig.StatusAsync(CommandKeys.IdFor("s3"))).RuntimeStatus);

        // After the restart the sweep re-plans, and a client retry with the same key changes nothing either.
        Assert.Equal(1, await rig.NewCommandService().ResumePendingAsync());
        string id = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "s3"));
        Assert.Equal(before.NextNonce, (await rig.Ledger.GetAccountAsync(rig.Lane))!.NextNonce);

        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);
        Assert.Equal(CommandRuntimeStatus.Completed, (await rig.StatusAsync(id)).RuntimeStatus);
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    [Theory]
    [InlineData(CrashPoint.AfterPersistBeforeBroadcast)]
    [InlineData(CrashPoint.AfterBroadcastBeforeStatus)]
    [InlineData(CrashPoint.DuringConfirm)]
    [InlineData(CrashPoint.AfterSignBeforePersist)]
    public async Task S4_S5_CrashInTheLane_RestartSendsTheSamePersistedBytes_OneEffect(string point)
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 5).Select(i => $"{point}-{i}")];
        string id = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, point));
        FaultInjector faults = FaultInjector.Throwing();
        faults.Arm(point);
        TransactionLane crashing = rig.NewLane(faults);
        await Assert.ThrowsAsync<SimulatedCrashException>(() => PipelineRig.RunUntilQuiescentAsync(crashing, s_timeout));
        Dictionary<ulong, List<LedgerAttempt>> persisted = await rig.Ledger.GetAttemptsAsync(rig.Lane, 0);

        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);

        CommandStatus status = await rig.StatusAsync(id);
        Assert.Equal(CommandRuntimeStatus.Completed, status.RuntimeStatus);
        Dictionary<ulong, List<LedgerAttempt>> after = await rig.Ledger.GetAttemptsAsync(rig.Lane, 0);
        foreach (CommandTransaction tx in status.Output!.Transactions)
        {
            // One attempt per nonce; where bytes were persisted before the crash, exactly those bytes mined.
            LedgerAttempt only = Assert.Single(after[tx.Nonce]);
            Assert.Equal(only.Hash.ToString(), tx.Hash);
            if (persisted.TryGetValue(tx.Nonce, out List<LedgerAttempt>? early))
            {
                Assert.Equal(early.Single().Raw, only.Raw);
            }
        }

        await rig.AssertInvariantsAsync(oracle, ids);
    }

    [Fact]
    public async Task S6_SignedBytesEscapedBeforePersist_NodeRefusesTheResign_LaneAdoptsTheMinedTwin()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string id = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ["s6"], "s6"));
        LedgerTransaction row = (await rig.Ledger.GetTransactionsAsync(rig.Lane, 0)).Single();

        // A signature of the same intent (different fees, so a different hash, as a non-deterministic signer
        // would give) reached the node before the crash and was never persisted.
        LedgerAttempt escaped = await AttemptSigner.SignAsync(rig.Lane, row, new FeePair((UInt256)5_000_000_000UL, (UInt256)1_500_000_000UL), 1, rig.Signer, default);
        await rig.Rpc.SendRawTransactionAsync(escaped.Raw);

        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);

        CommandStatus status = await rig.StatusAsync(id);
        Assert.Equal(CommandRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(escaped.Hash.ToString(), Assert.Single(status.Output!.Transactions).Hash);
        await rig.AssertInvariantsAsync(oracle, ["s6"]);
    }

    [Fact]
    public async Task S24_RestartWithDoubledFeeConfig_RebroadcastsTheOriginalBytes()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string id = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ["s24"], "s24"));
        FaultInjector faults = FaultInjector.Throwing();
        faults.Arm(CrashPoint.AfterPersistBeforeBroadcast);
        await Assert.ThrowsAsync<SimulatedCrashException>(() => PipelineRig.RunUntilQuiescentAsync(rig.NewLane(faults), s_timeout));
        LedgerAttempt original = (await rig.Ledger.GetAttemptsAsync(rig.Lane, 0)).Values.Single().Single();

        rig.Options = rig.Options with { Fees = rig.Options.Fees with { MinPriorityFeePerGas = original.Fees.MaxPriorityFeePerGas * (UInt256)2UL, BaseFeeMultiplier = 4 } };
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);

        LedgerAttempt after = (await rig.Ledger.GetAttemptsAsync(rig.Lane, 0)).Values.Single().Single();
        Assert.Equal(original.Raw, after.Raw);
        Assert.Equal(original.Hash.ToString(), Assert.Single((await rig.StatusAsync(id)).Output!.Transactions).Hash);
        await rig.AssertInvariantsAsync(oracle, ["s24"]);
    }
}
