using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Testing;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>Invariant 7 on the lane: an attempt whose signature is not the lane key's is never persisted or sent.</summary>
public sealed class AttemptSignerTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    [Fact]
    public async Task SignerThatSignsWithAnotherKey_LeavesRowsPlanned_WithNoAttempt_AndNothingSent()
    {
        int account = fixture.NextAccount();
        var laneKey = PrivateKey.Parse(AnvilAccounts.PrivateKeys[account]);
        var otherKey = PrivateKey.Parse(AnvilAccounts.PrivateKeys[account % 9 + 1]);
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, account);
        Address oracle = await rig.DeployOracleAsync();
        ulong chainNonce = await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Pending);
        string id = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ["wrong-key-1", "wrong-key-2"], "wrong-key"));

        TransactionLane lane = rig.NewLane(signer: new WrongKeySigner(laneKey, otherKey));
        await lane.StepAsync();
        await lane.StepAsync();

        CommandProgress progress = (await rig.StatusAsync(id)).CustomStatus;
        Assert.Equal(new CommandProgress(2, 2, 0, 0, 0, 0, 0), progress);
        Assert.Empty(await rig.Ledger.GetAttemptsAsync(rig.Lane, chainNonce));
        Assert.Equal(chainNonce, await rig.Rpc.GetTransactionCountAsync(rig.Lane.Sender, BlockParameter.Pending));
    }

    /// <summary>Claims the lane's address and public key but signs with another key (a wrong Key Vault key version).</summary>
    private sealed class WrongKeySigner(PrivateKey claimed, PrivateKey used) : ISigner
    {
        public Address Address => claimed.Address;

        public PublicKey PublicKey => claimed.PublicKey;

        public ValueTask<Signature> SignHashAsync(Hash32 hash, CancellationToken cancellationToken = default) => ValueTask.FromResult(used.Sign(hash));
    }
}
