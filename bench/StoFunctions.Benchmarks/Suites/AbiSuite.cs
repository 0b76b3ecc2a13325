using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Abi;
using StoFunctions.Testing;

namespace StoFunctions.Benchmarks.Suites;

/// <summary>
/// ABI encode of <c>transfer(address,uint256)</c> call data: our <see cref="AbiFunction.EncodeCall(System.ReadOnlySpan{object?})"/>
/// against ethers v6 <c>Interface.encodeFunctionData</c> (ethers/abi.js) in the same run. Rounds alternate between the two
/// so machine load hits both alike; the best round of each is reported. Options: <c>--seconds N</c> per round (default 1),
/// <c>--rounds N</c> (default 3).
/// </summary>
public sealed class AbiSuite : IBenchmarkSuite
{
    private const string Recipient = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    /// <inheritdoc />
    public string Name => "abi";

    /// <inheritdoc />
    public string Description => "ABI encode transfer(address,uint256) calls/s vs ethers v6 Interface.encodeFunctionData";

    /// <inheritdoc />
    public async Task RunAsync(string[] args)
    {
        double seconds = Option(args, "--seconds", 1.0);
        int rounds = (int)Option(args, "--rounds", 3);
        string script = Path.Combine(RepoPaths.Root, "bench", "StoFunctions.Benchmarks", "ethers", "abi.js");

        AbiFunction transfer = AbiFunction.Parse("function transfer(address to, uint256 amount) returns (bool)");
        Address to = Address.Parse(Recipient);
        string ours = Hex.Encode(transfer.EncodeCall(to, (UInt256)1_000_000UL));
        MeasureOurs(transfer, to, 0.3); // JIT warm-up (tiered compilation reaches the optimised code)

        double bestOurs = 0;
        double bestEthers = 0;
        string? ethersSample = null;
        for (int round = 1; round <= rounds; round++)
        {
            double oursRate = MeasureOurs(transfer, to, seconds);
            (double ethersRate, string sample) = await MeasureEthersAsync(script, seconds);
            ethersSample = sample;
            bestOurs = Math.Max(bestOurs, oursRate);
            bestEthers = Math.Max(bestEthers, ethersRate);
            Console.WriteLine($"   round {round}: ours {oursRate,14:N0}/s   ethers {ethersRate,12:N0}/s");
        }

        // Same amount formula on both sides for the first call: prove we measured the same output.
        bool same = ethersSample is not null && ethersSample.Length == ours.Length && ethersSample[..^8] == ours[..^8];
        Console.WriteLine();
        Console.WriteLine($"   {"row",-44} {"ours/s",14} {"ethers v6/s",14} {"ratio",8}");
        Console.WriteLine($"   {"ABI encode transfer(address,uint256)",-44} {bestOurs,14:N0} {bestEthers,14:N0} {bestOurs / bestEthers,7:N1}x");
        Console.WriteLine($"   (best of {rounds} alternating rounds of {seconds:0.##} s, one thread; outputs agree: {(same ? "yes" : "NO")})");
    }

    private static double MeasureOurs(AbiFunction transfer, Address to, double seconds)
    {
        long ops = 0;
        long checksum = 0;
        var clock = Stopwatch.StartNew();
        long limit = (long)(seconds * Stopwatch.Frequency);
        while (clock.ElapsedTicks < limit)
        {
            for (int i = 0; i < 1024; i++)
            {
                byte[] call = transfer.EncodeCall(to, (UInt256)(ulong)(ops + i + 1_000_000));
                checksum += call[^1];
            }

            ops += 1024;
        }

        GC.KeepAlive(checksum);
        return ops / clock.Elapsed.TotalSeconds;
    }

    private static async Task<(double Rate, string Sample)> MeasureEthersAsync(string script, double seconds)
    {
        var start = new ProcessStartInfo("node", [script, ((int)(seconds * 1000)).ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process node = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        string output = await node.StandardOutput.ReadToEndAsync();
        string error = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"ethers baseline failed (exit {node.ExitCode}): {error}");
        }

        using JsonDocument result = JsonDocument.Parse(output);
        double ops = result.RootElement.GetProperty("ops").GetDouble();
        double elapsed = result.RootElement.GetProperty("seconds").GetDouble();
        return (ops / elapsed, result.RootElement.GetProperty("sample").GetString()!);
    }

    private static double Option(string[] args, string name, double fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? double.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
