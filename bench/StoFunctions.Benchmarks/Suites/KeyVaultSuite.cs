using System.Diagnostics;
using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;
using StoFunctions.Azure.KeyVault;
using StoFunctions.Ethereum;
using StoFunctions.Testing.KeyVault;

namespace StoFunctions.Benchmarks.Suites;

/// <summary>
/// Key Vault signing throughput through the test Key Vault server with injected HSM latency, against the
/// ceiling concurrency / latency (16 / 25 ms = 640 signatures/s). Goal: ≥ 80 % of the ceiling.
/// Options: --count N (default 2000), --concurrency C (16), --latency-ms L (25).
/// </summary>
public sealed class KeyVaultSuite : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "keyvault";

    /// <inheritdoc />
    public string Description => "Key Vault sign throughput with injected latency vs concurrency/latency ceiling";

    /// <inheritdoc />
    public async Task RunAsync(string[] args)
    {
        int count = Option(args, "--count", 2000);
        int concurrency = Option(args, "--concurrency", 16);
        int latencyMs = Option(args, "--latency-ms", 25);
        double ceiling = concurrency * 1000.0 / latencyMs;

        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("bench");
        var options = new KeyVaultClientOptions { Transport = new HttpClientTransport(server.CreateHttpHandler()) };
        var keys = new KeyClient(server.VaultUri, new StaticTokenCredential(), options);
        CryptographyClient crypto = keys.GetCryptographyClient("bench", version);
        KeyVaultEthereumSigner signer = await KeyVaultEthereumSigner.CreateAsync(keys, "bench", version);
        // Challenge, token, connections and tiered JIT: without this the first measured rows run tier-0 code
        // (BouncyCastle's curve arithmetic) and cost twice the CPU. DOTNET_TieredCompilation=0 removes the effect.
        for (int round = 0; round < 2; round++)
        {
            await MeasureAsync(300, concurrency, i => crypto.SignAsync(SignatureAlgorithm.ES256K, Digest(i)));
            await MeasureAsync(300, concurrency, i => signer.SignHashAsync(Hash32.FromBytes(Digest(i))).AsTask());
            await MeasureAsync(300, concurrency, i => signer.SignTransactionAsync(Transfer(signer.Address, (ulong)i)).AsTask());
            await Task.Delay(500); // background tier-1 compilation
        }

        server.Knobs.Latency = TimeSpan.FromMilliseconds(latencyMs);
        (double raw, double rawCpu) = await MeasureAsync(count, concurrency, i => crypto.SignAsync(SignatureAlgorithm.ES256K, Digest(i)));
        (double eth, double ethCpu) = await MeasureAsync(count, concurrency, i => signer.SignHashAsync(Hash32.FromBytes(Digest(i))).AsTask());
        (double tx, double txCpu) = await MeasureAsync(count, concurrency, i => signer.SignTransactionAsync(Transfer(signer.Address, (ulong)i)).AsTask());

        Console.WriteLine($"{"row",-44} {"ops/s",10} {"vs ceiling",11} {"CPU ms/op",10}");
        Console.WriteLine($"{$"ceiling {concurrency} / {latencyMs} ms",-44} {ceiling,10:F0} {1.0,11:P0} {"",10}");
        Console.WriteLine($"{"CryptographyClient.SignAsync (ES256K)",-44} {raw,10:F0} {raw / ceiling,11:P0} {rawCpu,10:F2}");
        Console.WriteLine($"{"KeyVaultEthereumSigner.SignHashAsync (low-S, v)",-44} {eth,10:F0} {eth / ceiling,11:P0} {ethCpu,10:F2}");
        Console.WriteLine($"{"SignTransactionAsync (EIP-1559, sender check)",-44} {tx,10:F0} {tx / ceiling,11:P0} {txCpu,10:F2}");
        double cpuBound = Environment.ProcessorCount * 1000.0 / txCpu;
        Console.WriteLine($"CPU-bound limit of the transaction row on {Environment.ProcessorCount} idle cores (cores / CPU per op): {cpuBound:F0}/s " +
            $"= {cpuBound / ceiling:P0} of the ceiling; CPU ms/op includes the test vault (Kestrel, TLS, OpenSSL ECDSA), which in production runs on Azure.");
        Console.WriteLine($"({count} signatures per row, concurrency {concurrency}, server-side latency {latencyMs} ms; CPU ms/op is this process's " +
            $"CPU time, client and test server together, per signature; {Environment.ProcessorCount} cores, load average {LoadAverage()})");
    }

    private static async Task<(double PerSecond, double CpuMsPerOp)> MeasureAsync(int count, int concurrency, Func<int, Task> operation)
    {
        int next = -1;
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (int i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                await operation(i).ConfigureAwait(false);
            }
        }));
        double perSecond = count / stopwatch.Elapsed.TotalSeconds;
        return (perSecond, (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / count);
    }

    private static Eip1559Transaction Transfer(Address to, ulong nonce) => new()
    {
        ChainId = 31337,
        Nonce = nonce,
        MaxPriorityFeePerGas = 1_000_000_000UL,
        MaxFeePerGas = 20_000_000_000UL,
        GasLimit = 21_000UL,
        To = to,
        Value = 1UL,
    };

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static byte[] Digest(int i)
    {
        byte[] digest = new byte[32];
        BitConverter.TryWriteBytes(digest, i);
        digest[31] = 1;
        return digest;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed class StaticTokenCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("bench-token", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
