using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Security.KeyVault.Keys;
using StoFunctions.Azure.KeyVault;
using StoFunctions.Ethereum;
using StoFunctions.Testing;
using StoFunctions.Testing.KeyVault;
using Xunit.Abstractions;

namespace StoFunctions.Azure.Tests.KeyVault;

/// <summary>
/// The end-to-end proof: transactions signed through the test Key Vault, with high-S and short r/s injected
/// (plus throttling and lost responses), are accepted by a real anvil and mined with the Key Vault address as sender.
/// </summary>
public sealed class KeyVaultEthereumSignerAnvilTests(ITestOutputHelper output)
{
    private const int Count = 1000;
    private const ulong ChainId = 31337;

    [Fact]
    public async Task ThousandEip1559Transactions_SignedWithHighSAndShortRsInjected_AreAllMinedFromTheKeyVaultAddress()
    {
        await using AnvilProcess anvil = await AnvilProcess.StartAsync((long)ChainId);
        await using TestKeyVaultServer vault = await TestKeyVaultServer.StartAsync();
        vault.CreateKey("issuer");
        var keys = new KeyClient(vault.VaultUri, new RecordingTokenCredential(), vault.ClientOptions());
        KeyVaultEthereumSigner signer = await KeyVaultEthereumSigner.CreateAsync(keys, "issuer");
        await anvil.RpcAsync("anvil_setBalance", signer.Address.ToString(), "0x56BC75E2D63100000"); // 100 ETH
        vault.Knobs.HighS = true;
        vault.Knobs.ShortRsEvery = 10;
        vault.Knobs.ThrottleEvery = 400;
        vault.Knobs.DropSignResponseEvery = 450;
        Address recipient = Address.Parse(AnvilAccounts.Addresses[1]);

        // Sign concurrently, as the pipeline's lane may; broadcast strictly in nonce order (automine).
        var stopwatch = Stopwatch.StartNew();
        var signed = new SignedRawTransaction[Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, Count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (nonce, ct) =>
        {
            var transaction = new Eip1559Transaction
            {
                ChainId = ChainId,
                Nonce = (ulong)nonce,
                MaxPriorityFeePerGas = 1_000_000_000UL,
                MaxFeePerGas = 20_000_000_000UL,
                GasLimit = 21_000UL,
                To = recipient,
                Value = (ulong)nonce + 1,
            };
            signed[nonce] = await signer.SignTransactionAsync(transaction, ct);
        });
        TimeSpan signing = stopwatch.Elapsed;
        using var http = new HttpClient { BaseAddress = anvil.RpcUrl };
        foreach (SignedRawTransaction transaction in signed)
        {
            JsonElement result = await RpcAsync(http, "eth_sendRawTransaction", Hex.Encode(transaction.Raw));
            Assert.Equal(transaction.Hash.ToString(), result.GetString());
        }

        await WaitForNonceAsync(http, signer.Address, Count);
        TimeSpan mined = stopwatch.Elapsed;
        JsonElement[] receipts = await ReceiptsAsync(http, signed.Select(s => s.Hash));
        Assert.All(receipts, receipt =>
        {
            Assert.Equal("0x1", receipt.GetProperty("status").GetString());
            Assert.Equal(signer.Address, Address.Parse(receipt.GetProperty("from").GetString()!));
        });

        output.WriteLine($"signed {Count} in {signing.TotalSeconds:F1} s, sent and mined by {mined.TotalSeconds:F1} s; " +
            $"server: {vault.Signatures} signatures, {vault.ThrottledRequests} throttled, {vault.DroppedResponses} dropped");

        // The injected faults really happened, so the acceptance above covers them.
        UInt256 twoPow248 = UInt256.Parse("0x100000000000000000000000000000000000000000000000000000000000000");
        Assert.All(signed, s => Assert.True(s.Signature.IsLowS));
        Assert.InRange(signed.Count(s => s.Signature.R < twoPow248 || s.Signature.S < twoPow248), Count / 10, Count);
        Assert.True(vault.ThrottledRequests >= 2, $"throttled {vault.ThrottledRequests}");
        Assert.True(vault.DroppedResponses >= 2, $"dropped {vault.DroppedResponses}");
        Assert.Equal(Count + vault.DroppedResponses, vault.Signatures);
    }

    [Fact]
    public async Task EveryTransactionType_SignedThroughKeyVaultWithHighS_IsMinedFromTheKeyVaultAddress()
    {
        await using AnvilProcess anvil = await AnvilProcess.StartAsync((long)ChainId);
        await using TestKeyVaultServer vault = await TestKeyVaultServer.StartAsync();
        vault.CreateKey("issuer");
        vault.Knobs.HighS = true;
        var keys = new KeyClient(vault.VaultUri, new RecordingTokenCredential(), vault.ClientOptions());
        KeyVaultEthereumSigner signer = await KeyVaultEthereumSigner.CreateAsync(keys, "issuer");
        await anvil.RpcAsync("anvil_setBalance", signer.Address.ToString(), "0x56BC75E2D63100000");
        Address recipient = Address.Parse(AnvilAccounts.Addresses[2]);
        Transaction[] transactions =
        [
            new LegacyTransaction { ChainId = ChainId, Nonce = 0, GasPrice = 20_000_000_000UL, GasLimit = 21_000UL, To = recipient, Value = 1UL },
            new Eip2930Transaction
            {
                ChainId = ChainId, Nonce = 1, GasPrice = 20_000_000_000UL, GasLimit = 21_000UL + 2_400UL, To = recipient, Value = 2UL,
                AccessList = new AccessList([new AccessListEntry(recipient, [])]),
            },
            new Eip1559Transaction { ChainId = ChainId, Nonce = 2, MaxPriorityFeePerGas = 1UL, MaxFeePerGas = 20_000_000_000UL, GasLimit = 21_000UL, To = recipient, Value = 3UL },
        ];
        using var http = new HttpClient { BaseAddress = anvil.RpcUrl };

        var hashes = new List<Hash32>();
        foreach (Transaction transaction in transactions)
        {
            SignedRawTransaction signed = await signer.SignTransactionAsync(transaction);
            hashes.Add(signed.Hash);
            Assert.Equal((byte)transaction.Type, signed.Raw[0] >= 0xC0 ? (byte)0 : signed.Raw[0]);
            Assert.Equal(signed.Hash.ToString(), (await RpcAsync(http, "eth_sendRawTransaction", Hex.Encode(signed.Raw))).GetString());
        }

        await WaitForNonceAsync(http, signer.Address, transactions.Length);
        JsonElement[] receipts = await ReceiptsAsync(http, hashes);
        Assert.Equal(["0x0", "0x1", "0x2"], receipts.Select(r => r.GetProperty("type").GetString()));
        Assert.All(receipts, r => Assert.Equal(signer.Address, Address.Parse(r.GetProperty("from").GetString()!)));
    }

    private static async Task WaitForNonceAsync(HttpClient http, Address sender, int expected)
    {
        // anvil answers eth_sendRawTransaction before its automine catches up; wait for the last nonce.
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await RpcAsync(http, "eth_getTransactionCount", sender.ToString(), "latest")).GetString() != $"0x{expected:x}")
        {
            Assert.True(DateTime.UtcNow < deadline, $"anvil did not mine {expected} transactions within 60 s");
            await Task.Delay(100);
        }
    }

    private static async Task<JsonElement> RpcAsync(HttpClient http, string method, params object[] parameters)
    {
        using HttpResponseMessage response = await http.PostAsJsonAsync("", new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(document.RootElement.TryGetProperty("error", out JsonElement error), $"{method}: {error}");
        return document.RootElement.GetProperty("result").Clone();
    }

    private static async Task<JsonElement[]> ReceiptsAsync(HttpClient http, IEnumerable<Hash32> hashes)
    {
        var receipts = new List<JsonElement>();
        foreach (Hash32[] chunk in hashes.Chunk(100))
        {
            object[] batch = [.. chunk.Select((h, i) => new { jsonrpc = "2.0", id = i, method = "eth_getTransactionReceipt", @params = new object[] { h.ToString() } })];
            using HttpResponseMessage response = await http.PostAsJsonAsync("", batch);
            using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            receipts.AddRange(document.RootElement.EnumerateArray().OrderBy(e => e.GetProperty("id").GetInt32()).Select(e => e.GetProperty("result").Clone()));
        }

        return [.. receipts];
    }
}
