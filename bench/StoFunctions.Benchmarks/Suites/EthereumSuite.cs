using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Testing;

namespace StoFunctions.Benchmarks.Suites;

/// <summary>
/// The Ethereum primitives against ethers v6 doing the same work in the same run: EIP-1559 sign+serialize,
/// Keccak-256 throughput (1 MiB and 64-byte inputs), RLP decode of a signed EIP-1559 transaction, and parsing a
/// signed transaction from its hex form with sender recovery. Each figure is the best of several timed rounds on one thread.
/// Options: <c>[rounds] [secondsPerRound]</c> (default 3 × 1.5 s).
/// </summary>
public sealed class EthereumSuite : IBenchmarkSuite
{
    private static readonly PrivateKey s_key = PrivateKey.Parse("0x4646464646464646464646464646464646464646464646464646464646464646");

    private static readonly Eip1559Transaction s_transfer = new()
    {
        ChainId = 31337,
        MaxPriorityFeePerGas = 1_000_000_000UL,
        MaxFeePerGas = 30_000_000_000UL,
        GasLimit = 60_000UL,
        To = Address.Parse("0x3535353535353535353535353535353535353535"),
        Value = UInt256.Zero,
        Data = Hex.Decode("0xa9059cbb000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266000000000000000000000000000000000000000000000000000000000000000a"),
    };

    /// <inheritdoc />
    public string Name => "ethereum";

    /// <inheritdoc />
    public string Description => "EIP-1559 sign+serialize, Keccak-256, RLP decode and tx parse vs ethers v6 (node)";

    /// <inheritdoc />
    public async Task RunAsync(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        double seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1.5;

        byte[] signed = TransactionSigner.SignAndSerialize(s_transfer with { Nonce = 7 }, s_key);
        string signedHex = Hex.Encode(signed);
        byte[] mib = Enumerable.Range(0, 1 << 20).Select(i => (byte)i).ToArray();
        byte[] small = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();

        var ours = new Dictionary<string, double>
        {
            ["signSerializePerSec"] = Measure(rounds, seconds, i => TransactionSigner.SignAndSerialize(s_transfer with { Nonce = (ulong)i }, s_key).Length),
            ["keccakMBPerSec"] = Measure(rounds, seconds, _ => Keccak256.Hash(mib).GetHashCode()) * mib.Length / 1e6,
            ["keccak64PerSec"] = Measure(rounds, seconds, _ => Keccak256.Hash(small).GetHashCode()),
            ["rlpDecodePerSec"] = Measure(rounds, seconds, _ => Rlp.Decode(signed.AsSpan(1)).Items.Count),
            ["txParseRecoverPerSec"] = Measure(rounds, seconds, _ => TransactionSerializer.Parse(Hex.Decode(signedHex)).RecoverSender().GetHashCode()),
        };

        JsonElement baseline = await RunEthersAsync(rounds, seconds);
        string ethersSigned = baseline.GetProperty("sample").GetProperty("signed").GetString()!;
        string ethersKeccak = baseline.GetProperty("sample").GetProperty("keccakMiB").GetString()!;
        bool sameBytes = ethersSigned == signedHex && ethersKeccak == Keccak256.Hash(mib).ToString();

        Console.WriteLine($"ethers {baseline.GetProperty("ethers").GetString()} on node {baseline.GetProperty("node").GetString()}; " +
                          $".NET {Environment.Version}; {rounds} rounds x {seconds}s, best round; single thread");
        Console.WriteLine($"same signed bytes and Keccak digest as ethers: {(sameBytes ? "yes" : "NO")}");
        Console.WriteLine();
        Console.WriteLine($"| {"measure",-40} | {"ours",12} | {"ethers v6",12} | {"ours/ethers",11} |");
        Console.WriteLine($"|{new string('-', 42)}|{new string('-', 14)}|{new string('-', 14)}|{new string('-', 13)}|");
        Row("EIP-1559 sign+serialize (tx/s)", "signSerializePerSec");
        Row("Keccak-256, 1 MiB input (MB/s)", "keccakMBPerSec");
        Row("Keccak-256, 64-byte input (hashes/s)", "keccak64PerSec");
        Row("RLP decode, signed 1559 tx (decodes/s)", "rlpDecodePerSec");
        Row("Parse signed 1559 hex + recover sender", "txParseRecoverPerSec");
        if (!sameBytes)
        {
            Console.WriteLine($"ours:   {signedHex}\nethers: {ethersSigned}");
        }

        void Row(string label, string key)
        {
            double o = ours[key];
            double e = baseline.GetProperty(key).GetDouble();
            Console.WriteLine($"| {label,-40} | {Format(o),12} | {Format(e),12} | {o / e,10:F2}x |");
        }
    }

    private static string Format(double value) => value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("F1", CultureInfo.InvariantCulture);

    private static double Measure(int rounds, double seconds, Func<int, int> work)
    {
        int sink = 0;
        for (int i = 0; i < 200; i++)
        {
            sink ^= work(i);
        }

        double best = 0;
        for (int round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            int n = 0;
            do
            {
                for (int j = 0; j < 20; j++)
                {
                    sink ^= work(n++);
                }
            }
            while (watch.Elapsed.TotalSeconds < seconds);
            best = Math.Max(best, n / watch.Elapsed.TotalSeconds);
        }

        GC.KeepAlive(sink);
        return best;
    }

    private static async Task<JsonElement> RunEthersAsync(int rounds, double seconds)
    {
        string script = Path.Combine(RepoPaths.Root, "bench", "StoFunctions.Benchmarks", "ethers", "ethereum.js");
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(rounds.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(seconds.ToString(CultureInfo.InvariantCulture));
        using Process node = Process.Start(info) ?? throw new InvalidOperationException("Could not start node.");
        Task<string> stdout = node.StandardOutput.ReadToEndAsync();
        Task<string> stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} failed with exit code {node.ExitCode}: {await stderr}");
        }

        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }
}
