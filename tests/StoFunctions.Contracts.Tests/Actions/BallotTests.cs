using StoFunctions.Ethereum;

namespace StoFunctions.Contracts.Tests.Actions;

/// <summary>Snapshot-weighted ballots (research/contracts.md §2.14).</summary>
public sealed class BallotTests(AnvilChain chain) : TokenTestBase(chain)
{
    [Fact]
    public async Task Weights_ComeFromTheSnapshot_NotCurrentBalances_OneVotePerHolder_WithinTheWindow()
    {
        Address token = await DeployTokenAsync();
        await AdminAsync(token, SecurityTokenContract.BatchMint([Alice, Bob], [60, 40]));
        await AdminAsync(token, SecurityTokenContract.Snapshot());
        await TransferAsync(token, Alice, Carol, 50); // Carol holds tokens now but had none at the snapshot

        Address ballot = await Chain.DeployAsync(BallotContract.Deploy(token, Admin));
        ulong now = await Chain.LatestTimestampAsync();
        ulong start = now + 100, end = now + 1000;
        Hash32 metadata = Keccak256.Hash("AGM 2026 resolution 1"u8);
        ChainReceipt created = await AdminAsync(ballot, BallotContract.CreateBallot(metadata, "ipfs://agm", 3, start, end, 1));
        Assert.Equal(new BallotContract.BallotCreatedEvent(1, 1, 3, start, end, metadata, "ipfs://agm"), BallotContract.DecodeBallotCreatedEvent(created.Logs[0].Topics, created.Logs[0].Data));

        IReadOnlyList<object> early = await ExpectErrorAsync(ballot, Alice, BallotContract.Vote(1, 0), "VotingNotOpen", BallotContract.Abi);
        Assert.Equal((UInt256)start, (UInt256)early[1]);

        await Chain.MineAtAsync(start);
        ChainReceipt voted = await Chain.SendAsync(Alice, ballot, BallotContract.Vote(1, 2));
        Assert.Equal(new BallotContract.VoteCastEvent(1, Alice, 2, 60), BallotContract.DecodeVoteCastEvent(voted.Logs[0].Topics, voted.Logs[0].Data));
        await Chain.SendAsync(Bob, ballot, BallotContract.Vote(1, 0));
        await ExpectErrorAsync(ballot, Alice, BallotContract.Vote(1, 1), "AlreadyVoted", BallotContract.Abi);
        await ExpectErrorAsync(ballot, Carol, BallotContract.Vote(1, 1), "NoVotingWeight", BallotContract.Abi);
        await ExpectErrorAsync(ballot, Bob, BallotContract.Vote(1, 3), "InvalidOption", BallotContract.Abi);
        Assert.True(BallotContract.DecodeHasVoted(await Chain.CallAsync(ballot, BallotContract.HasVoted(1, Alice))));

        await Chain.MineAtAsync(end);
        await ExpectErrorAsync(ballot, Dave, BallotContract.Vote(1, 1), "VotingNotOpen", BallotContract.Abi);
        Assert.Equal([(UInt256)40, UInt256.Zero, (UInt256)60], BallotContract.DecodeResults(await Chain.CallAsync(ballot, BallotContract.Results(1))));
    }

    [Fact]
    public async Task CreateBallot_RejectsBadOptionsWindowsSnapshotsAndStrangers()
    {
        Address token = await DeployTokenAsync();
        await AdminAsync(token, SecurityTokenContract.Snapshot());
        Address ballot = await Chain.DeployAsync(BallotContract.Deploy(token, Admin));
        ulong now = await Chain.LatestTimestampAsync();
        await ExpectErrorAsync(ballot, Admin, BallotContract.CreateBallot(Hash32.Zero, "", 1, now, now + 10, 1), "InvalidOptions", BallotContract.Abi);
        await ExpectErrorAsync(ballot, Admin, BallotContract.CreateBallot(Hash32.Zero, "", 2, now + 10, now + 10, 1), "InvalidWindow", BallotContract.Abi);
        byte[] unknown = await Chain.CallExpectingRevertAsync(Admin, ballot, BallotContract.CreateBallot(Hash32.Zero, "", 2, now, now + 10, 2));
        Assert.Equal("NonexistentSnapshot", SecurityTokenContract.DecodeRevert(unknown).Error!.Name);
        await ExpectErrorAsync(ballot, Alice, BallotContract.CreateBallot(Hash32.Zero, "", 2, now, now + 10, 1), "AccessControlUnauthorizedAccount", BallotContract.Abi);
        await ExpectErrorAsync(ballot, Alice, BallotContract.Vote(5, 0), "UnknownBallot", BallotContract.Abi);
    }
}
