using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
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
    private const long ChainId = 31337;

    [Fact]
    public async Task ThousandEip1559Transactions_SignedWithHighSAndShortRsInjected_AreAllMinedFromTheKeyVaultAddress()
    {
        await using AnvilProcess anvil = await AnvilProcess.StartAsync(ChainId);
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
        var signed = new (byte[] Raw, Hash32 Hash, Signature Signature)[Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, Count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (nonce, ct) =>
        {
            byte[][] fields = Eip1559Fields((ulong)nonce, recipient, value: (ulong)nonce + 1);
            Hash32 signingHash = Keccak256.Hash([0x02, .. Rlp.EncodeList(fields)]);
            Signature signature = await signer.SignHashAsync(signingHash, ct);
            byte[] raw = [0x02, .. Rlp.EncodeList([.. fields, Rlp.EncodeUInt256((uint)signature.YParity), Rlp.EncodeUInt256(signature.R), Rlp.EncodeUInt256(signature.S)])];
            signed[nonce] = (raw, Keccak256.Hash(raw), signature);
        });

        TimeSpan signing = stopwatch.Elapsed;
        using var http = new HttpClient { BaseAddress = anvil.RpcUrl };
        foreach ((byte[] raw, Hash32 hash, _) in signed)
        {
            JsonElement result = await RpcAsync(http, "eth_sendRawTransaction", Hex.Encode(raw));
            Assert.Equal(hash.ToString(), result.GetString());
        }

        // anvil answers eth_sendRawTransaction before its automine catches up; wait for the last nonce.
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await RpcAsync(http, "eth_getTransactionCount", signer.Address.ToString(), "latest")).GetString() != $"0x{Count:x}")
        {
            Assert.True(DateTime.UtcNow < deadline, "anvil did not mine all transactions within 60 s");
            await Task.Delay(100);
        }

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

    // TODO(eth-core transactions): replace with Eip1559Transaction once merged.
    private static byte[][] Eip1559Fields(ulong nonce, Address to, ulong value) =>
    [
        Rlp.EncodeUInt256((ulong)ChainId),
        Rlp.EncodeUInt256(nonce),
        Rlp.EncodeUInt256(1_000_000_000UL),
        Rlp.EncodeUInt256(20_000_000_000UL),
        Rlp.EncodeUInt256(21_000UL),
        Rlp.EncodeBytes(to.ToArray()),
        Rlp.EncodeUInt256(value),
        Rlp.EncodeBytes([]),
        Rlp.EncodeList(),
    ];

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
