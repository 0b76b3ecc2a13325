using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Abi;
using StoFunctions.Testing;

namespace StoFunctions.Contracts.Tests;

/// <summary>
/// One anvil per test class (an xunit class fixture) and the few JSON-RPC calls the contract tests need.
/// Transactions go through anvil's unlocked dev accounts (<c>eth_sendTransaction</c>): these tests are about
/// contract behaviour, and the Ethereum library's signing and client are tested in their own project.
/// </summary>
public sealed class AnvilChain : IAsyncLifetime
{
    private const long RevertGas = 3_000_000;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private AnvilProcess? _anvil;
    private int _id;

    /// <summary>The running anvil.</summary>
    public AnvilProcess Anvil => _anvil ?? throw new InvalidOperationException("the fixture has not been initialised");

    /// <summary>Dev account <paramref name="index"/> (0 deploys and holds every role in these tests).</summary>
    public static Address Account(int index) => Address.Parse(AnvilAccounts.Addresses[index]);

    /// <inheritdoc />
    public async Task InitializeAsync() => _anvil = await AnvilProcess.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        _http.Dispose();
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

    /// <summary>Sends a transaction, waits for its receipt and requires success (status 1).</summary>
    public async Task<ChainReceipt> SendAsync(Address from, Address? to, byte[] data)
    {
        JsonElement result = await RpcAsync("eth_sendTransaction", Transaction(from, to, data, gas: null));
        ChainReceipt receipt = await ReceiptAsync(result.GetString()!);
        if (!receipt.Success)
        {
            throw new InvalidOperationException($"transaction {receipt.TransactionHash} from {from} reverted");
        }

        return receipt;
    }

    /// <summary>
    /// Expects the call to revert: reads the revert data with <c>eth_call</c>, then mines the same transaction
    /// with a fixed gas limit and requires status 0, so the revert is proven on chain as well.
    /// </summary>
    public async Task<RevertReason> SendExpectingRevertAsync(Address from, Address to, byte[] data, ContractAbi abi)
    {
        byte[] revertData = await CallExpectingRevertAsync(from, to, data);
        JsonElement hash = await RpcAsync("eth_sendTransaction", Transaction(from, to, data, RevertGas));
        ChainReceipt receipt = await ReceiptAsync(hash.GetString()!);
        Assert.False(receipt.Success, "the transaction was expected to revert on chain");
        return abi.DecodeRevert(revertData);
    }

    /// <summary><c>eth_call</c> at the latest block; requires success and returns the output.</summary>
    public async Task<byte[]> CallAsync(Address to, byte[] data, Address? from = null)
    {
        JsonElement result = await RpcAsync("eth_call", Transaction(from ?? Account(0), to, data, gas: null), "latest");
        return Hex.Decode(result.GetString()!);
    }

    /// <summary><c>eth_call</c> that must revert; returns the revert data.</summary>
    public async Task<byte[]> CallExpectingRevertAsync(Address from, Address to, byte[] data)
    {
        using JsonDocument response = await PostAsync("eth_call", Transaction(from, to, data, RevertGas), "latest");
        if (!response.RootElement.TryGetProperty("error", out JsonElement error))
        {
            throw new InvalidOperationException($"eth_call to {to} succeeded but was expected to revert");
        }

        return error.TryGetProperty("data", out JsonElement revert) && revert.ValueKind == JsonValueKind.String
            ? Hex.Decode(revert.GetString()!)
            : [];
    }

    /// <summary>Sets the timestamp of the next block and mines it (lock-up and ballot windows).</summary>
    public async Task MineAtAsync(ulong timestamp)
    {
        await RpcAsync("evm_setNextBlockTimestamp", timestamp);
        await RpcAsync("evm_mine");
    }

    /// <summary>The latest block's timestamp.</summary>
    public async Task<ulong> LatestTimestampAsync()
    {
        JsonElement block = await RpcAsync("eth_getBlockByNumber", "latest", false);
        return ParseQuantity(block.GetProperty("timestamp"));
    }

    private static Dictionary<string, object> Transaction(Address from, Address? to, byte[] data, long? gas)
    {
        var tx = new Dictionary<string, object> { ["from"] = from.ToString(), ["data"] = Hex.Encode(data) };
        if (to is Address target)
        {
            tx["to"] = target.ToString();
        }

        if (gas is long g)
        {
            tx["gas"] = "0x" + g.ToString("x", CultureInfo.InvariantCulture);
        }

        return tx;
    }

    private async Task<ChainReceipt> ReceiptAsync(string hash)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            JsonElement r = await RpcAsync("eth_getTransactionReceipt", hash);
            if (r.ValueKind == JsonValueKind.Object)
            {
                var logs = r.GetProperty("logs").EnumerateArray().Select(l => new ChainLog(
                    Address.Parse(l.GetProperty("address").GetString()!),
                    l.GetProperty("topics").EnumerateArray().Select(t => Hash32.Parse(t.GetString()!)).ToArray(),
                    Hex.Decode(l.GetProperty("data").GetString()!))).ToArray();
                JsonElement created = r.GetProperty("contractAddress");
                return new ChainReceipt(
                    hash,
                    ParseQuantity(r.GetProperty("status")) == 1,
                    (long)ParseQuantity(r.GetProperty("gasUsed")),
                    created.ValueKind == JsonValueKind.String ? Address.Parse(created.GetString()!) : null,
                    logs);
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"no receipt for {hash}");
    }

    private static ulong ParseQuantity(JsonElement quantity) =>
        ulong.Parse(quantity.GetString()!.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private async Task<JsonElement> RpcAsync(string method, params object?[] parameters)
    {
        using JsonDocument response = await PostAsync(method, parameters);
        if (response.RootElement.TryGetProperty("error", out JsonElement error))
        {
            throw new InvalidOperationException($"{method} failed: {error.GetRawText()}");
        }

        return response.RootElement.GetProperty("result").Clone();
    }

    private async Task<JsonDocument> PostAsync(string method, params object?[] parameters)
    {
        int id = Interlocked.Increment(ref _id);
        using HttpResponseMessage response = await _http.PostAsJsonAsync(Anvil.RpcUrl, new { jsonrpc = "2.0", id, method, @params = parameters });
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
