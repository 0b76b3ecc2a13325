using StoFunctions.Ethereum.Rpc;
using StoFunctions.Testing;

namespace StoFunctions.Ethereum.Tests.Integration;

/// <summary>Signs transactions with one of anvil's published dev keys using our library, and sends them through our client.</summary>
internal sealed class DevWallet(JsonRpcClient client, int account, ulong chainId = 31337)
{
    public PrivateKey Key { get; } = PrivateKey.Parse(AnvilAccounts.PrivateKeys[account]);

    public Address Address => Key.Address;

    public JsonRpcClient Client => client;

    public ulong ChainId => chainId;

    public Task<ulong> NextNonceAsync() => client.GetTransactionCountAsync(Address, BlockParameter.Pending);

    /// <summary>An EIP-1559 transaction with fees that clear the current base fee.</summary>
    public async Task<Eip1559Transaction> Eip1559Async(Address? to, byte[] data, UInt256 value, ulong? gas = null)
    {
        BlockHeader head = (await client.GetBlockByNumberAsync(BlockParameter.Latest))!;
        UInt256 tip = (UInt256)1_000_000_000UL;
        ulong nonce = await NextNonceAsync();
        ulong gasLimit = gas ?? await client.EstimateGasAsync(new CallRequest { From = Address, To = to, Data = data, Value = value });
        return new Eip1559Transaction
        {
            ChainId = chainId,
            Nonce = nonce,
            To = to,
            Value = value,
            Data = data,
            GasLimit = gasLimit,
            MaxPriorityFeePerGas = tip,
            MaxFeePerGas = head.BaseFeePerGas!.Value + head.BaseFeePerGas!.Value + tip,
        };
    }

    public async Task<(SignedTransaction Signed, Hash32 Hash)> SendAsync(Transaction transaction)
    {
        SignedTransaction signed = TransactionSigner.Sign(transaction, Key);
        Hash32 hash = await client.SendRawTransactionAsync(signed.Serialize());
        return (signed, hash);
    }

    /// <summary>Sends and waits for the receipt (anvil automines, so it is there at once or after a short poll).</summary>
    public async Task<TransactionReceipt> SendAndWaitAsync(Transaction transaction)
    {
        (_, Hash32 hash) = await SendAsync(transaction);
        return await AnvilProcess.WaitForReceiptAsync(client, hash);
    }
}
