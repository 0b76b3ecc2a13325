using System.Numerics;
using StoFunctions.Ethereum;

namespace StoFunctions.Contracts.Tests.Token;

/// <summary>
/// Snapshots on the packed balance storage (balance, last recorded snapshot id and checkpoint count in one word per
/// account): every balance and the supply at every snapshot, compared with a C# model that replays the same
/// operations and copies its balances when a snapshot is taken (value-at-creation semantics).
/// </summary>
public sealed class SecurityTokenSnapshotTests(AnvilChain chain) : TokenTestBase(chain)
{
    private static readonly BigInteger s_maxSupply = (BigInteger.One << 160) - 1;

    private static Address Erin => AnvilChain.Account(5);

    private static Address Frank => AnvilChain.Account(6);

    private static Address Grace => AnvilChain.Account(7);

    private static Address Heidi => AnvilChain.Account(8);

    private static Address[] Accounts => [Admin, Alice, Bob, Carol, Dave, Erin, Frank, Grace, Heidi];

    [Fact]
    public async Task BalancesAndSupplyAtEverySnapshot_MatchAModelReplayingMintsBurnsTransfersForcedTransfersAndRecoveries()
    {
        Address token = await DeployTokenAsync();
        var model = new SnapshotModel(Accounts);
        var random = new Random(20);

        // Before any snapshot: no checkpoint is written, the values at snapshot 1 are the current ones.
        await MintAsync(token, model, Alice, 600);
        await MintAsync(token, model, Bob, 400);
        await TransferAsync(token, model, Alice, Dave, 50);
        await SnapshotAsync(token, model); // 1

        // Period 1: Carol is new (0 at snapshot 1), receives and sends all of it in the same period; several
        // changes per account; a burn and a mint move the supply twice in the period.
        await TransferAsync(token, model, Alice, Carol, 100);
        await TransferAsync(token, model, Carol, Bob, 30);
        await TransferAsync(token, model, Carol, Dave, 70);
        await TransferAsync(token, model, Bob, Alice, 5);
        await BurnAsync(token, model, Dave, 20);
        await MintAsync(token, model, Bob, 1_000);
        await SnapshotAsync(token, model); // 2

        // Period 2: nothing changes.
        await SnapshotAsync(token, model); // 3

        // Period 3: Carol (0 since period 1) and Erin (never held) receive; Dave goes to 0 and comes back.
        await TransferAsync(token, model, Bob, Carol, 200);
        await TransferAsync(token, model, Alice, Erin, 10);
        await TransferAsync(token, model, Dave, Alice, (ulong)model.Balance(Dave));
        await TransferAsync(token, model, Bob, Dave, 1);
        await SnapshotAsync(token, model); // 4

        // Period 4: forced transfer, recovery of Bob's wallet to the empty Frank, a burn of Carol's whole balance.
        await ForcedTransferAsync(token, model, Alice, Erin, 25);
        await RecoverAsync(token, model, Bob, Frank);
        await BurnAsync(token, model, Carol, (ulong)model.Balance(Carol));
        await SnapshotAsync(token, model); // 5

        // Periods 5-7: seeded random transfers among the holders, a mint to a new account, more snapshots.
        for (int period = 0; period < 3; period++)
        {
            for (int i = 0; i < 6; i++)
            {
                Address[] holders = [.. model.Holders()];
                Address from = holders[random.Next(holders.Length)];
                Address to = Accounts[1 + random.Next(Accounts.Length - 2)];
                ulong amount = 1 + (ulong)random.Next((int)model.Balance(from));
                await TransferAsync(token, model, from, to, amount);
            }

            if (period == 1)
            {
                await MintAsync(token, model, Grace, 77);
            }

            await SnapshotAsync(token, model); // 6, 7, 8
        }

        // After the last snapshot: changes that the snapshots must not see.
        await TransferAsync(token, model, model.Holders().First(), Heidi, 3);
        await BurnAsync(token, model, Alice, 1);
        await MintAsync(token, model, Heidi, 9);

        for (int id = 1; id <= model.SnapshotCount; id++)
        {
            Assert.Equal((UInt256)model.SupplyAt(id), await SupplyAtAsync(token, (ulong)id));
            foreach (Address account in Accounts)
            {
                Assert.True(
                    (UInt256)model.BalanceAt(account, id) == await BalanceAtAsync(token, account, (ulong)id),
                    $"balanceOfAt({account}, {id}): expected {model.BalanceAt(account, id)}, got {await BalanceAtAsync(token, account, (ulong)id)}");
            }
        }

        foreach (Address account in Accounts)
        {
            Assert.Equal((UInt256)model.Balance(account), await BalanceAsync(token, account));
        }

        Assert.Equal((UInt256)model.Supply, SecurityTokenContract.DecodeTotalSupply(await Chain.CallAsync(token, SecurityTokenContract.TotalSupply())));
        await ExpectNonexistentAsync(token, SecurityTokenContract.BalanceOfAt(Alice, 0));
        await ExpectNonexistentAsync(token, SecurityTokenContract.BalanceOfAt(Alice, (ulong)model.SnapshotCount + 1));
        await ExpectNonexistentAsync(token, SecurityTokenContract.TotalSupplyAt(0));
        await ExpectNonexistentAsync(token, SecurityTokenContract.TotalSupplyAt((ulong)model.SnapshotCount + 1));
    }

    [Fact]
    public async Task MintBeyondThePackedWidth_RevertsWithTotalSupplyWidthExceeded_AndChangesNothing()
    {
        Address token = await DeployTokenAsync();
        UInt256 max = (UInt256)s_maxSupply;
        await AdminAsync(token, SecurityTokenContract.Mint(Alice, max - 10));
        await AdminAsync(token, SecurityTokenContract.Snapshot());
        await AdminAsync(token, SecurityTokenContract.Mint(Bob, 10));

        IReadOnlyList<object> args = await ExpectErrorAsync(token, Admin, SecurityTokenContract.Mint(Bob, 1), "TotalSupplyWidthExceeded");
        Assert.Equal([(object)max, (UInt256)1, max], args);
        IReadOnlyList<object> huge = await ExpectErrorAsync(token, Admin, SecurityTokenContract.Mint(Carol, (UInt256)((BigInteger.One << 256) - 1)), "TotalSupplyWidthExceeded");
        Assert.Equal([(object)max, (UInt256)((BigInteger.One << 256) - 1), max], huge);

        Assert.Equal(max, SecurityTokenContract.DecodeTotalSupply(await Chain.CallAsync(token, SecurityTokenContract.TotalSupply())));
        Assert.Equal(max - 10, await BalanceAsync(token, Alice));
        Assert.Equal((UInt256)10, await BalanceAsync(token, Bob));
        Assert.Equal(UInt256.Zero, await BalanceAsync(token, Carol));
        Assert.Equal(max - 10, await SupplyAtAsync(token, 1));

        // The widest balance moves whole and keeps its snapshot value; freed room can be minted again.
        await TransferAsync(token, Alice, Carol, max - 10);
        Assert.Equal(max - 10, await BalanceAsync(token, Carol));
        Assert.Equal(max - 10, await BalanceAtAsync(token, Alice, 1));
        Assert.Equal(UInt256.Zero, await BalanceAtAsync(token, Carol, 1));
        await AdminAsync(token, SecurityTokenContract.Burn(Bob, 10));
        await AdminAsync(token, SecurityTokenContract.Mint(Dave, 10));
        Assert.Equal(max, SecurityTokenContract.DecodeTotalSupply(await Chain.CallAsync(token, SecurityTokenContract.TotalSupply())));
    }

    private async Task MintAsync(Address token, SnapshotModel model, Address to, ulong amount)
    {
        await AdminAsync(token, SecurityTokenContract.Mint(to, amount));
        model.Mint(to, amount);
    }

    private async Task BurnAsync(Address token, SnapshotModel model, Address from, ulong amount)
    {
        await AdminAsync(token, SecurityTokenContract.Burn(from, amount));
        model.Burn(from, amount);
    }

    private async Task TransferAsync(Address token, SnapshotModel model, Address from, Address to, ulong amount)
    {
        await TransferAsync(token, from, to, amount);
        model.Move(from, to, amount);
    }

    private async Task ForcedTransferAsync(Address token, SnapshotModel model, Address from, Address to, ulong amount)
    {
        await AdminAsync(token, SecurityTokenContract.ForcedTransfer(from, to, amount));
        model.Move(from, to, amount);
    }

    private async Task RecoverAsync(Address token, SnapshotModel model, Address lost, Address replacement)
    {
        await AdminAsync(token, SecurityTokenContract.RecoveryAddress(lost, replacement));
        model.Move(lost, replacement, (ulong)model.Balance(lost));
    }

    private async Task SnapshotAsync(Address token, SnapshotModel model)
    {
        await AdminAsync(token, SecurityTokenContract.Snapshot());
        model.Snapshot();
        Assert.Equal((UInt256)(ulong)model.SnapshotCount, SecurityTokenContract.DecodeCurrentSnapshotId(await Chain.CallAsync(token, SecurityTokenContract.CurrentSnapshotId())));
    }

    private async Task ExpectNonexistentAsync(Address token, byte[] call)
    {
        byte[] revert = await Chain.CallExpectingRevertAsync(Admin, token, call);
        Assert.Equal("NonexistentSnapshot", SecurityTokenContract.DecodeRevert(revert).Error!.Name);
    }

    private async Task<UInt256> BalanceAtAsync(Address token, Address account, ulong id) =>
        SecurityTokenContract.DecodeBalanceOfAt(await Chain.CallAsync(token, SecurityTokenContract.BalanceOfAt(account, id)));

    private async Task<UInt256> SupplyAtAsync(Address token, ulong id) =>
        SecurityTokenContract.DecodeTotalSupplyAt(await Chain.CallAsync(token, SecurityTokenContract.TotalSupplyAt(id)));

    /// <summary>The independent expectation: plain balances, copied whole when a snapshot is taken.</summary>
    private sealed class SnapshotModel(Address[] accounts)
    {
        private readonly Dictionary<Address, BigInteger> _balances = accounts.ToDictionary(a => a, _ => BigInteger.Zero);
        private readonly List<(Dictionary<Address, BigInteger> Balances, BigInteger Supply)> _snapshots = [];

        public BigInteger Supply { get; private set; }

        public int SnapshotCount => _snapshots.Count;

        public BigInteger Balance(Address account) => _balances[account];

        public IEnumerable<Address> Holders() => _balances.Where(p => p.Value > 0).Select(p => p.Key);

        public void Mint(Address to, ulong amount)
        {
            _balances[to] += amount;
            Supply += amount;
        }

        public void Burn(Address from, ulong amount)
        {
            Assert.True(_balances[from] >= amount, $"the scenario burns {amount} from {from}, which holds {_balances[from]}");
            _balances[from] -= amount;
            Supply -= amount;
        }

        public void Move(Address from, Address to, ulong amount)
        {
            Assert.True(_balances[from] >= amount, $"the scenario moves {amount} from {from}, which holds {_balances[from]}");
            _balances[from] -= amount;
            _balances[to] += amount;
        }

        public void Snapshot() => _snapshots.Add((new Dictionary<Address, BigInteger>(_balances), Supply));

        public BigInteger BalanceAt(Address account, int id) => _snapshots[id - 1].Balances[account];

        public BigInteger SupplyAt(int id) => _snapshots[id - 1].Supply;
    }
}
