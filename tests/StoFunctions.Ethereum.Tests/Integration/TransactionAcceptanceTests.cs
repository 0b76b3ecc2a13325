using StoFunctions.Ethereum.Rpc;
using StoFunctions.Testing;

namespace StoFunctions.Ethereum.Tests.Integration;

/// <summary>Transactions of every type, signed by our library, are accepted and mined by a real anvil.</summary>
public sealed class TransactionAcceptanceTests(AnvilFixture anvil) : IClassFixture<AnvilFixture>, IDisposable
{
    private static readonly Address s_recipient = Address.Parse("0x000000000000000000000000000000000000bEEF");
    private readonly JsonRpcClient _client = new(anvil.RpcUrl);

    [Fact]
    public async Task LegacyEip155Transfer_IsMinedWithOurHashAndSender()
    {
        var wallet = new DevWallet(_client, 1);
        var tx = new LegacyTransaction
        {
            ChainId = 31337,
            Nonce = await wallet.NextNonceAsync(),
            GasPrice = await _client.GetGasPriceAsync(),
            GasLimit = 21_000UL,
            To = s_recipient,
            Value = (UInt256)1234UL,
        };

        await AssertMinedAsync(wallet, tx, 0);
    }

    [Fact]
    public async Task Eip2930TransferWithAccessList_IsMinedWithOurHashAndSender()
    {
        var wallet = new DevWallet(_client, 2);
        var tx = new Eip2930Transaction
        {
            ChainId = 31337,
            Nonce = await wallet.NextNonceAsync(),
            GasPrice = await _client.GetGasPriceAsync(),
            GasLimit = 30_000UL,
            To = s_recipient,
            Value = (UInt256)777UL,
            AccessList = new AccessList([new AccessListEntry(s_recipient, [Hash32.Zero])]),
        };

        await AssertMinedAsync(wallet, tx, 1);
    }

    [Fact]
    public async Task Eip1559Transfer_IsMinedWithOurHashAndSender()
    {
        var wallet = new DevWallet(_client, 3);
        Eip1559Transaction tx = await wallet.Eip1559Async(s_recipient, [], (UInt256)4242UL, gas: 21_000);

        TransactionReceipt receipt = await AssertMinedAsync(wallet, tx, 2);

        BlockHeader block = (await _client.GetBlockByNumberAsync(receipt.BlockNumber))!;
        Assert.Equal(block.BaseFeePerGas!.Value + tx.MaxPriorityFeePerGas, receipt.EffectiveGasPrice);
        Assert.Contains(receipt.TransactionHash, block.TransactionHashes);
    }

    public void Dispose() => _client.Dispose();

    // Under load anvil can hand out the receipt a moment before eth_getTransactionByHash reports the block (it
    // answered once with the transaction still pending, BlockHash null): ask until it does, within the receipt's wait.
    private async Task<RpcTransaction> MinedTransactionAsync(Hash32 hash)
    {
        for (int attempt = 0; ; attempt++)
        {
            RpcTransaction seen = (await _client.GetTransactionByHashAsync(hash))!;
            if (seen.BlockHash is not null || attempt == 600)
            {
                return seen;
            }

            await Task.Delay(50);
        }
    }

    private async Task<TransactionReceipt> AssertMinedAsync(DevWallet wallet, Transaction tx, byte type)
    {
        UInt256 before = await _client.GetBalanceAsync(s_recipient);

        (SignedTransaction signed, Hash32 hash) = await wallet.SendAsync(tx);
        TransactionReceipt receipt = await AnvilProcess.WaitForReceiptAsync(wallet.Client, hash);

        Assert.Equal(signed.Hash, hash);
        Assert.True(receipt.Succeeded);
        Assert.Equal(type, receipt.Type);
        Assert.Equal(wallet.Address, receipt.From);
        Assert.Equal(s_recipient, receipt.To);
        Assert.Null(receipt.ContractAddress);
        Assert.Equal(21_000UL + (type == 1 ? 2_400UL + 1_900UL : 0UL), receipt.GasUsed);
        Assert.Equal(before + tx.Value, await _client.GetBalanceAsync(s_recipient));

        RpcTransaction seen = await MinedTransactionAsync(hash);
        Assert.Equal(wallet.Address, seen.From);
        Assert.Equal(tx.Nonce, seen.Nonce);
        Assert.Equal(type, seen.Type);
        Assert.Equal(receipt.BlockHash, seen.BlockHash);
        Assert.Equal(tx.Nonce + 1, await _client.GetTransactionCountAsync(wallet.Address, BlockParameter.Latest));
        return receipt;
    }
}
