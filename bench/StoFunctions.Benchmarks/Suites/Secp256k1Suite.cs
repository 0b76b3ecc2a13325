using System.Diagnostics;
using System.Globalization;
using NBitcoin.Secp256k1;
using StoFunctions.Ethereum;

namespace StoFunctions.Benchmarks.Suites;

/// <summary>
/// The Ethereum layer's secp256k1 (<see cref="Secp256k1"/>, <see cref="TransactionSigner"/>) against
/// NBitcoin.Secp256k1 called directly for the same work, in the same process and in alternating rounds (ours,
/// theirs, ours, …) so that load changes hit both alike: EIP-1559 sign+serialize, the Key Vault path (an external
/// r ‖ s, half of them high-S, to a low-S signature with its recovery bit), the signer's sender check (verification
/// against a known key) and public-key recovery. Since the layer runs on NBitcoin.Secp256k1 this is the cost of
/// our mapping over the library; at commit 76a2d70 the same suite measured the former hand-written curve code
/// against the library (figures in the README). Each figure is the median round on one thread, per second of
/// process CPU time (the machine is shared). Options: <c>[rounds] [secondsPerRound]</c> (default 5 × 0.4 s).
/// </summary>
public sealed class Secp256k1Suite : IBenchmarkSuite
{
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
    public string Name => "secp256k1";

    /// <inheritdoc />
    public string Description => "EIP-1559 sign+serialize, external-signature recovery bit, Verify, recover: the Ethereum layer vs NBitcoin.Secp256k1 direct";

    /// <inheritdoc />
    public Task RunAsync(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        double seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 0.4;
        string loadBefore = LoadAverage();

        var key = PrivateKey.Parse("0x4646464646464646464646464646464646464646464646464646464646464646");
        ECPrivKey theirKey = NBitcoinSecp256k1.PrivateKey(key);
        PublicKey publicKey = key.PublicKey;
        ECPubKey theirPublicKey = NBitcoinSecp256k1.PublicKey(publicKey);
        Hash32[] hashes = Enumerable.Range(0, 256).Select(i => Keccak256.Hash(BitConverter.GetBytes(i))).ToArray();
        Signature[] signatures = hashes.Select(key.Sign).ToArray();

        // Key Vault's ES256K output: r ‖ s with no recovery id, and s high for about half of them.
        byte[][] external = signatures.Select((s, i) =>
            (byte[])[.. s.R.ToBigEndian(), .. (i % 2 == 0 ? s.S : Secp256k1.Order - s.S).ToBigEndian()]).ToArray();

        // Same answers first: a faster wrong answer is not a result.
        bool same = true;
        for (int i = 0; i < hashes.Length; i++)
        {
            Eip1559Transaction tx = s_transfer with { Nonce = (ulong)i };
            same &= TransactionSigner.SignAndSerialize(tx, key).AsSpan().SequenceEqual(TheirSignAndSerialize(tx, theirKey));
            same &= Secp256k1.FromExternalSignature(external[i], hashes[i], publicKey) == NBitcoinSecp256k1.FromExternalSignature(external[i], hashes[i], theirPublicKey);
            same &= Secp256k1.Verify(hashes[i], signatures[i], publicKey) && NBitcoinSecp256k1.Verify(hashes[i], signatures[i], theirPublicKey);
            same &= NBitcoinSecp256k1.Recover(hashes[i], signatures[i]) is { } recovered && recovered.ToBytes(false).AsSpan().SequenceEqual(Secp256k1.RecoverPublicKey(hashes[i], signatures[i]).ToUncompressed());
        }

        Console.WriteLine($".NET {Environment.Version}; NBitcoin.Secp256k1 {typeof(ECPrivKey).Assembly.GetName().Version}; " +
                          $"{rounds} alternating rounds x {seconds}s per side, median round, per CPU-second; single thread; {Environment.ProcessorCount} cores");
        Console.WriteLine($"same bytes, signatures and keys from both: {(same ? "yes" : "NO")}");
        Console.WriteLine();
        Console.WriteLine($"| {"operation (per second)",-52} | {"ours",10} | {"NBitcoin",10} | {"NBitcoin/ours",13} |");
        Console.WriteLine($"|{new string('-', 54)}|{new string('-', 12)}|{new string('-', 12)}|{new string('-', 15)}|");
        Row("EIP-1559 sign+serialize", Alternate(rounds, seconds,
            i => TransactionSigner.SignAndSerialize(s_transfer with { Nonce = (ulong)i }, key).Length,
            i => TheirSignAndSerialize(s_transfer with { Nonce = (ulong)i }, theirKey).Length));
        Row("external r‖s → low-S + recovery bit (Key Vault path)", Alternate(rounds, seconds,
            i => Secp256k1.FromExternalSignature(external[i & 255], hashes[i & 255], publicKey).YParity,
            i => NBitcoinSecp256k1.FromExternalSignature(external[i & 255], hashes[i & 255], theirPublicKey).YParity));
        Row("Verify against the signer's key (sender check)", Alternate(rounds, seconds,
            i => Secp256k1.Verify(hashes[i & 255], signatures[i & 255], publicKey) ? 1 : 0,
            i => NBitcoinSecp256k1.Verify(hashes[i & 255], signatures[i & 255], theirPublicKey) ? 1 : 0));
        Row("recover the public key", Alternate(rounds, seconds,
            i => Secp256k1.RecoverPublicKey(hashes[i & 255], signatures[i & 255]).GetHashCode(),
            i => NBitcoinSecp256k1.Recover(hashes[i & 255], signatures[i & 255])!.GetHashCode()));
        Console.WriteLine();
        Console.WriteLine($"load average before {loadBefore}, after {LoadAverage()}");
        return Task.CompletedTask;
    }

    private static byte[] TheirSignAndSerialize(Transaction transaction, ECPrivKey key) =>
        TransactionSerializer.Serialize(transaction, NBitcoinSecp256k1.Sign(key, TransactionSerializer.SigningHash(transaction)));

    private static void Row(string label, (double Ours, double Theirs) figures) =>
        Console.WriteLine($"| {label,-52} | {Format(figures.Ours),10} | {Format(figures.Theirs),10} | {figures.Theirs / figures.Ours,12:F2}x |");

    private static string Format(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    // Ours and theirs take turns, round by round, so both see the same machine; the median round of each is kept.
    private static (double Ours, double Theirs) Alternate(int rounds, double seconds, Func<int, int> ours, Func<int, int> theirs)
    {
        int sink = 0;
        for (int i = 0; i < 300; i++)
        {
            sink ^= ours(i) ^ theirs(i);
        }

        var oursRates = new List<double>();
        var theirRates = new List<double>();
        var oursWall = new List<double>();
        var theirWall = new List<double>();
        List<double> wallRates = oursWall;
        for (int round = 0; round < rounds; round++)
        {
            wallRates = oursWall;
            oursRates.Add(Rate(ours));
            wallRates = theirWall;
            theirRates.Add(Rate(theirs));
        }

        GC.KeepAlive(sink);
        Console.WriteLine($"    (per wall-clock second, for comparison: ours {Format(Median(oursWall))}, NBitcoin {Format(Median(theirWall))}, " +
                          $"ratio {Median(theirWall) / Median(oursWall):F2}x)");
        return (Median(oursRates), Median(theirRates));

        double Rate(Func<int, int> work)
        {
            // Per second of this process's CPU time, not of wall time: on a shared, loaded machine the wall clock
            // also counts the time other processes held the core.
            using var process = Process.GetCurrentProcess();
            TimeSpan cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            int n = 0;
            do
            {
                for (int j = 0; j < 10; j++)
                {
                    sink ^= work(n++);
                }
            }
            while (watch.Elapsed.TotalSeconds < seconds);
            double wall = watch.Elapsed.TotalSeconds;
            process.Refresh();
            wallRates.Add(n / wall);
            return n / (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
