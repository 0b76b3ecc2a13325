using System.Diagnostics;
using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Keys;
using Azure.Security.KeyVault.Keys.Cryptography;
using StoFunctions.Azure.KeyVault;
using StoFunctions.Ethereum;
using StoFunctions.Testing.KeyVault;

namespace StoFunctions.Benchmarks.Suites;

/// <summary>
/// Key Vault signing throughput through the test Key Vault server with an HSM response time (the knob holds each
/// answer until the latency has passed since arrival, the vault's own work included), against the
/// ceiling concurrency / latency (16 / 25 ms = 640 signatures/s). Goal: ≥ 80 % of the ceiling.
/// The test vault runs in a child process by default, as Key Vault runs elsewhere in production: its Kestrel, TLS
/// and OpenSSL work then has its own thread pool and GC and is not counted in this process's CPU per op (it
/// still shares the machine's cores). <c>--in-process</c> hosts it in this process instead.
/// Options: --count N (default 2000), --concurrency C (16), --latency-ms L (25), --in-process.
/// </summary>
public sealed class KeyVaultSuite : IBenchmarkSuite
{
    /// <summary>The hidden command that runs the test vault for a measuring process (see <see cref="ServeAsync"/>).</summary>
    public const string ServeCommand = "keyvault-server";

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

        bool inProcess = args.Contains("--in-process");
        await using BenchVault vault = inProcess ? await BenchVault.InProcessAsync(latencyMs) : await BenchVault.ChildAsync(latencyMs);
        var options = new KeyClientOptions { Transport = new HttpClientTransport(vault.Handler) };
        var keys = new KeyClient(vault.Uri, new StaticTokenCredential(), options);
        CryptographyClient crypto = keys.GetCryptographyClient("bench", vault.KeyVersion);
        KeyVaultEthereumSigner signer = await KeyVaultEthereumSigner.CreateAsync(keys, "bench", vault.KeyVersion);
        // Challenge, token, connections and tiered JIT: without this the first measured rows run tier-0 code
        // (the curve arithmetic) and cost twice the CPU. DOTNET_TieredCompilation=0 removes the effect.
        for (int round = 0; round < 2; round++)
        {
            await MeasureAsync(300, concurrency, i => crypto.SignAsync(SignatureAlgorithm.ES256K, Digest(i)));
            await MeasureAsync(300, concurrency, i => signer.SignHashAsync(Hash32.FromBytes(Digest(i))).AsTask());
            await MeasureAsync(300, concurrency, i => signer.SignTransactionAsync(Transfer(signer.Address, (ulong)i)).AsTask());
            await Task.Delay(500); // background tier-1 compilation
        }

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
            $"= {cpuBound / ceiling:P0} of the ceiling.");
        Console.WriteLine($"({count} signatures per row, concurrency {concurrency}, server-side latency {latencyMs} ms; test vault " +
            $"{(inProcess ? "in this process: CPU ms/op counts client and vault (Kestrel, TLS, OpenSSL ECDSA) together" : "in a child process: CPU ms/op is the client's alone")}; " +
            $"{Environment.ProcessorCount} cores, load average {LoadAverage()})");
        PrintSignatureChecks();
    }

    /// <summary>
    /// Runs the test vault for a measuring process: prints <c>port host thumbprint keyVersion</c> on one line, serves
    /// until standard input closes. Arguments: the server-side latency in milliseconds.
    /// </summary>
    public static async Task ServeAsync(string[] args)
    {
        await using TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("bench");
        server.Knobs.Latency = TimeSpan.FromMilliseconds(int.Parse(args[0], CultureInfo.InvariantCulture));
        Console.WriteLine($"{server.Port} {server.VaultHost} {server.CertificateThumbprint} {version}");
        await Console.In.ReadToEndAsync();
    }

    // The CPU cost of the two signature checks the signer makes, single-threaded, old way vs new way in the same run:
    // finding the recovery bit of a Key Vault (r, s) and checking a signed transaction's sender.
    private static void PrintSignatureChecks()
    {
        var local = PrivateKey.Generate();
        Hash32[] hashes = Enumerable.Range(0, 400).Select(i => Keccak256.Hash(BitConverter.GetBytes(i))).ToArray();
        Signature[] signatures = hashes.Select(local.Sign).ToArray();
        PublicKey localKey = local.PublicKey;
        _ = Secp256k1.Verify(hashes[0], signatures[0], localKey); // builds the key's table once, as the signer does
        double recoverTwice = MicrosecondsPerOp(hashes.Length, i =>
        {
            // The former FromExternalSignature: recover with bit 0 and, half the time, bit 1 too.
            Signature first = new(signatures[i].R, signatures[i].S, 0);
            if (!Secp256k1.RecoverPublicKey(hashes[i], first).Equals(localKey))
            {
                _ = Secp256k1.RecoverPublicKey(hashes[i], new Signature(signatures[i].R, signatures[i].S, 1));
            }
        });
        double external = MicrosecondsPerOp(hashes.Length, i =>
            Secp256k1.FromExternalSignature([.. signatures[i].R.ToBigEndian(), .. signatures[i].S.ToBigEndian()], hashes[i], localKey));
        double recover = MicrosecondsPerOp(hashes.Length, i => Secp256k1.RecoverAddress(hashes[i], signatures[i]));
        double verify = MicrosecondsPerOp(hashes.Length, i => Secp256k1.Verify(hashes[i], signatures[i], localKey));
        Console.WriteLine();
        Console.WriteLine($"{"signature check (one thread)",-52} {"µs/op",8} {"ratio",8}");
        Console.WriteLine($"{"recovery bit: recover with v=0, then v=1 (before)",-52} {recoverTwice,8:F0} {1.0,8:F2}");
        Console.WriteLine($"{"recovery bit: FromExternalSignature (now)",-52} {external,8:F0} {recoverTwice / external,7:F2}x");
        Console.WriteLine($"{"sender check: recover the sender (before)",-52} {recover,8:F0} {1.0,8:F2}");
        Console.WriteLine($"{"sender check: Verify against the signer's key (now)",-52} {verify,8:F0} {recover / verify,7:F2}x");
    }

    private static double MicrosecondsPerOp(int count, Action<int> operation)
    {
        for (int i = 0; i < count; i++)
        {
            operation(i); // warm-up
        }

        var stopwatch = Stopwatch.StartNew();
        int done = 0;
        while (stopwatch.ElapsedMilliseconds < 1000)
        {
            operation(done++ % count);
        }

        return stopwatch.Elapsed.TotalMicroseconds / done;
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
