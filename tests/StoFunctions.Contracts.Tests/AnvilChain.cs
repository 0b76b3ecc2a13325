using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Abi;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Testing;

namespace StoFunctions.Contracts.Tests;

/// <summary>
/// One anvil per test class (an xunit class fixture). Transactions are EIP-1559, signed with anvil's published dev
/// keys by our <see cref="TransactionSigner"/> and sent through our <see cref="JsonRpcClient"/>.
/// </summary>
public sealed class AnvilChain : IAsyncLifetime
{
    // A fixed limit instead of eth_estimateGas: one round trip less per transaction, and a reverting transaction is
    // still mined (status 0), which is what the revert tests assert. gasUsed does not depend on the limit.
    private const ulong GasLimit = 15_000_000;
    private static readonly UInt256 s_maxFee = (UInt256)50_000_000_000UL;
    private static readonly UInt256 s_tip = (UInt256)1_000_000_000UL;

    private AnvilProcess? _anvil;
    private JsonRpcClient? _client;

    /// <summary>The running anvil.</summary>
    public AnvilProcess Anvil => _anvil ?? throw new InvalidOperationException("the fixture has not been initialised");

    /// <summary>Our JSON-RPC client on <see cref="Anvil"/>.</summary>
    public JsonRpcClient Client => _client ?? throw new InvalidOperationException("the fixture has not been initialised");

    /// <summary>Dev account <paramref name="index"/> (0 deploys and holds every role in these tests).</summary>
    public static Address Account(int index) => Address.Parse(AnvilAccounts.Addresses[index]);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _anvil = await AnvilProcess.StartAsync();
        _client = new JsonRpcClient(_anvil.RpcUrl);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_anvil is not null)
        {
            await _anvil.DisposeAsync();
        }
    }

    /// <summary>Deploys <paramref name="initCode"/> from <paramref name="from"/> and returns the new address.</summary>
    public async Task<Address> DeployAsync(byte[] initCode, Address? from = null)
    {
        ChainReceipt receipt = await SendAsync(from ?? Account(0), null, initCode);
        return receipt.ContractAddress ?? throw new InvalidOperationException("the deployment receipt has no contract address");
    }

    /// <summary>Signs and sends a transaction, waits for its receipt and requires success (status 1).</summary>
    public async Task<ChainReceipt> SendAsync(Address from, Address? to, byte[] data)
    {
        ChainReceipt receipt = await SendSignedAsync(from, to, data);
        if (!receipt.Success)
        {
            throw new InvalidOperationException($"transaction {receipt.TransactionHash} from {from} reverted");
        }

        return receipt;
    }

    /// <summary>
    /// Expects the call to revert: reads the revert data with <c>eth_call</c>, then mines the same transaction and
    /// requires status 0, so the revert is proven on chain as well.
    /// </summary>
    public async Task<RevertReason> SendExpectingRevertAsync(Address from, Address to, byte[] data, ContractAbi abi)
    {
        byte[] revertData = await CallExpectingRevertAsync(from, to, data);
        ChainReceipt receipt = await SendSignedAsync(from, to, data);
        Assert.False(receipt.Success, "the transaction was expected to revert on chain");
        return abi.DecodeRevert(revertData);
    }

    /// <summary><c>eth_call</c> at the latest block; requires success and returns the output.</summary>
    public Task<byte[]> CallAsync(Address to, byte[] data, Address? from = null) =>
        Client.CallAsync(new CallRequest { From = from ?? Account(0), To = to, Data = data });

    /// <summary><c>eth_call</c> that must revert; returns the revert data.</summary>
    public async Task<byte[]> CallExpectingRevertAsync(Address from, Address to, byte[] data)
    {
        try
        {
            await Client.CallAsync(new CallRequest { From = from, To = to, Data = data, Gas = GasLimit });
        }
        catch (JsonRpcException e)
        {
            return e.TryGetRevertData(out byte[] revertData) ? revertData : [];
        }

        throw new InvalidOperationException($"eth_call to {to} succeeded but was expected to revert");
    }

    /// <summary>Sets the timestamp of the next block and mines it (lock-up and ballot windows).</summary>
    public async Task MineAtAsync(ulong timestamp)
    {
        await Client.SendAsync<JsonElement>("evm_setNextBlockTimestamp", [timestamp]);
        await Client.SendAsync<JsonElement>("evm_mine");
    }

    /// <summary>The latest block's timestamp.</summary>
    public async Task<ulong> LatestTimestampAsync() => (await Client.GetBlockByNumberAsync(BlockParameter.Latest))!.Timestamp;

    private async Task<ChainReceipt> SendSignedAsync(Address from, Address? to, byte[] data)
    {
        int index = AnvilAccounts.Addresses.ToList().FindIndex(a => Address.Parse(a) == from);
        PrivateKey key = PrivateKey.Parse(AnvilAccounts.PrivateKeys[index]);
        var transaction = new Eip1559Transaction
        {
            ChainId = (ulong)Anvil.ChainId,
            Nonce = await Client.GetTransactionCountAsync(from, BlockParameter.Pending),
            To = to,
            Value = UInt256.Zero,
            Data = data,
            GasLimit = GasLimit,
            MaxPriorityFeePerGas = s_tip,
            MaxFeePerGas = s_maxFee,
        };
        Hash32 hash = await Client.SendRawTransactionAsync(TransactionSigner.SignAndSerialize(transaction, key));
        TransactionReceipt r = await AnvilProcess.WaitForReceiptAsync(Client, hash);
        return new ChainReceipt(
            r.TransactionHash.ToString(),
            r.Succeeded,
            (long)r.GasUsed,
            r.ContractAddress,
            r.Logs.Select(l => new ChainLog(l.Address, l.Topics, l.Data)).ToArray());
    }
}
