using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Tests.Ledger;

public sealed class GapRecoveryTests
{
    private static readonly Address s_sender = Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    private static readonly Address s_token = Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    private static readonly DateTimeOffset s_now = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rows_TaggedFillerForeignAndMissingNonces_BecomeKeyRowsFillerExternalAndMissingRows()
    {
        byte[] transfer = [0xa9, 0x05, 0x9c, 0xbb, 1, 2, 3];
        var found = new Dictionary<ulong, (RpcTransaction, TransactionReceipt)>
        {
            [10] = Mined(10, s_token, BusinessKeyTag.Append(transfer, "token/S-1"), block: 100, succeeded: true),
            [11] = Mined(11, s_sender, BusinessKeyTag.Filler(), block: 101, succeeded: true),
            [12] = Mined(12, s_token, transfer, block: 102, succeeded: true),
            [14] = Mined(14, s_token, BusinessKeyTag.Append(transfer, "token/S-2"), block: 104, succeeded: false),
        };

        List<RecoveredRow> rows = GapRecovery.Rows(s_sender, 10, 15, found, head: 200, confirmations: 12, "50–200", s_now);

        Assert.Equal([10UL, 11, 12, 13, 14], rows.Select(r => r.Row.Nonce));
        Assert.All(rows, r => Assert.True(r.Row.RecoveredFromChain));
        Assert.All(rows, r => Assert.Equal("", r.Row.CommandId));

        RecoveredRow key = rows[0];
        Assert.Equal(TransactionState.Confirmed, key.Row.State);
        Assert.Equal(BusinessKeyTag.KeyHash("token/S-1"), key.KeyHash);
        Assert.Equal(found[10].Item1.Hash, key.Row.MinedHash);
        Assert.Equal(found[10].Item1.Hash, key.Row.LatestHash);
        Assert.Equal(100UL, key.Row.BlockNumber);
        Assert.Equal(found[10].Item2.BlockHash, key.Row.BlockHash);
        Assert.Equal(found[10].Item1.Input, key.Row.Data);
        Assert.False(key.Row.IsFiller);

        Assert.Equal((TransactionState.Confirmed, true, (byte[]?)null), (rows[1].Row.State, rows[1].Row.IsFiller, rows[1].KeyHash));

        RecoveredRow foreign = rows[2];
        Assert.Equal(TransactionState.NonceConsumedExternally, foreign.Row.State);
        Assert.Null(foreign.KeyHash);
        Assert.Equal(found[12].Item1.Hash, foreign.Row.MinedHash);
        Assert.StartsWith($"nonce 12 was consumed by foreign transaction {found[12].Item1.Hash}", foreign.Row.Error, StringComparison.Ordinal);

        RecoveredRow missing = rows[3];
        Assert.Equal(TransactionState.NonceConsumedExternally, missing.Row.State);
        Assert.Null(missing.Row.MinedHash);
        Assert.Null(missing.KeyHash);
        Assert.Contains("blocks 50–200", missing.Row.Error, StringComparison.Ordinal);

        RecoveredRow failed = rows[4];
        Assert.Equal(TransactionState.Failed, failed.Row.State);
        Assert.Equal(BusinessKeyTag.KeyHash("token/S-2"), failed.KeyHash);
    }

    [Fact]
    public void Rows_AReceiptShallowerThanK_IsMined_SoTheLaneConfirmsIt()
    {
        var found = new Dictionary<ulong, (RpcTransaction, TransactionReceipt)>
        {
            [0] = Mined(0, s_token, BusinessKeyTag.For("k-deep"), block: 189, succeeded: true),
            [1] = Mined(1, s_token, BusinessKeyTag.For("k-shallow"), block: 190, succeeded: true),
        };

        List<RecoveredRow> rows = GapRecovery.Rows(s_sender, 0, 2, found, head: 200, confirmations: 12, "0–200", s_now);

        Assert.Equal([TransactionState.Confirmed, TransactionState.Mined], rows.Select(r => r.Row.State));
    }

    private static (RpcTransaction, TransactionReceipt) Mined(ulong nonce, Address to, byte[] input, ulong block, bool succeeded)
    {
        Hash32 hash = Keccak256.Hash([.. BitConverter.GetBytes(nonce), .. input]);
        Hash32 blockHash = Keccak256.Hash(BitConverter.GetBytes(block));
        var tx = new RpcTransaction { Hash = hash, Nonce = nonce, From = s_sender, To = to, Value = UInt256.Zero, Gas = 100_000, Input = input, BlockHash = blockHash, BlockNumber = block };
        var receipt = new TransactionReceipt
        {
            TransactionHash = hash,
            TransactionIndex = 0,
            BlockHash = blockHash,
            BlockNumber = block,
            From = s_sender,
            To = to,
            GasUsed = 50_000,
            CumulativeGasUsed = 50_000,
            EffectiveGasPrice = UInt256.One,
            Succeeded = succeeded,
            Logs = [],
        };
        return (tx, receipt);
    }
}
