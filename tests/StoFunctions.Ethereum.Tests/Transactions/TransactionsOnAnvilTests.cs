using System.Text.Json;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Testing;

namespace StoFunctions.Ethereum.Tests.Transactions;

/// <summary>Transactions signed and serialized by this library are accepted and mined by a real node (anvil).</summary>
public sealed class TransactionsOnAnvilTests : IAsyncLifetime
{
    private const ulong Gwei = 1_000_000_000;
    private static readonly Address s_recipient = Address.Parse("0x3535353535353535353535353535353535353535");
    private readonly PrivateKey _key = PrivateKey.Parse(AnvilAccounts.PrivateKeys[1]);
    private AnvilProcess _anvil = null!;

    public async Task InitializeAsync() => _anvil = await AnvilProcess.StartAsync();

    public async Task DisposeAsync() => await _anvil.DisposeAsync();

    [Fact]
    public async Task Legacy_eip2930_and_eip1559_transfers_are_mined_with_our_hash_and_sender()
    {
        ulong chainId = (ulong)_anvil.ChainId;
        ulong nonce = await NonceAsync();
        Transaction[] transactions =
        [
            new LegacyTransaction { ChainId = chainId, Nonce = nonce, GasPrice = 10 * Gwei, GasLimit = 21_000UL, To = s_recipient, Value = 1UL },
            new Eip2930Transaction
            {
                ChainId = chainId, Nonce = nonce + 1, GasPrice = 10 * Gwei, GasLimit = 30_000UL, To = s_recipient, Value = 2UL,
                AccessList = new AccessList([new AccessListEntry(s_recipient, [Hash32.Zero])]),
            },
            new Eip1559Transaction
            {
                ChainId = chainId, Nonce = nonce + 2, MaxPriorityFeePerGas = Gwei, MaxFeePerGas = 10 * Gwei, GasLimit = 21_000UL,
                To = s_recipient, Value = 3UL,
            },
        ];

        foreach (Transaction tx in transactions)
        {
            SignedTransaction signed = TransactionSigner.Sign(tx, _key);
            JsonElement receipt = await SendAndGetReceiptAsync(signed);
            Assert.Equal("0x1", receipt.GetProperty("status").GetString());
            Assert.Equal($"0x{(byte)tx.Type:x}", receipt.GetProperty("type").GetString());
            Assert.Equal(_key.Address.ToLowerHex(), receipt.GetProperty("from").GetString());
        }

        Assert.Equal("0x6", (await _anvil.RpcAsync("eth_getBalance", s_recipient.ToLowerHex(), "latest")).GetString());
    }

    [Fact]
    public async Task Contract_creation_deploys_at_the_predicted_CREATE_address()
    {
        ulong nonce = await NonceAsync();

        // Init code PUSH1 1, PUSH1 0, RETURN: deploys the single byte 0x00 (STOP) as runtime code.
        var create = new Eip1559Transaction
        {
            ChainId = (ulong)_anvil.ChainId,
            Nonce = nonce,
            MaxPriorityFeePerGas = Gwei,
            MaxFeePerGas = 10 * Gwei,
            GasLimit = 100_000UL,
            Data = Hex.Decode("0x60016000f3"),
        };
        JsonElement receipt = await SendAndGetReceiptAsync(TransactionSigner.Sign(create, _key));
        Address predicted = ContractAddress.Create(_key.Address, nonce);
        Assert.Equal(predicted.ToLowerHex(), receipt.GetProperty("contractAddress").GetString());
        Assert.Equal("0x00", (await _anvil.RpcAsync("eth_getCode", predicted.ToLowerHex(), "latest")).GetString());
    }

    [Fact]
    public async Task External_high_s_signature_is_normalised_and_accepted()
    {
        var tx = new Eip1559Transaction
        {
            ChainId = (ulong)_anvil.ChainId,
            Nonce = await NonceAsync(),
            MaxPriorityFeePerGas = Gwei,
            MaxFeePerGas = 10 * Gwei,
            GasLimit = 21_000UL,
            To = s_recipient,
            Value = 1UL,
        };
        Signature canonical = _key.Sign(TransactionSerializer.SigningHash(tx));
        byte[] keyVaultStyle = [.. canonical.R.ToBigEndian(), .. (Secp256k1.Order - canonical.S).ToBigEndian()];
        SignedTransaction signed = TransactionSigner.FromExternalSignature(tx, keyVaultStyle, _key.PublicKey);
        JsonElement receipt = await SendAndGetReceiptAsync(signed);
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
    }

    private async Task<ulong> NonceAsync()
    {
        string hex = (await _anvil.RpcAsync("eth_getTransactionCount", _key.Address.ToLowerHex(), "pending")).GetString()!;
        return (ulong)UInt256.Parse(hex);
    }

    private async Task<JsonElement> SendAndGetReceiptAsync(SignedTransaction signed)
    {
        string hash = (await _anvil.RpcAsync("eth_sendRawTransaction", Hex.Encode(signed.Serialize()))).GetString()!;
        Assert.Equal(signed.Hash.ToString(), hash);
        using var rpc = new JsonRpcClient(_anvil.RpcUrl);
        await AnvilProcess.WaitForReceiptAsync(rpc, signed.Hash);

        // The raw JSON, not our client's reading of it, is what these tests check.
        return await _anvil.RpcAsync("eth_getTransactionReceipt", hash);
    }
}
