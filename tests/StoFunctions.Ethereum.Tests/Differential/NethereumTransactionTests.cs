using System.Diagnostics;
using Nethereum.Model;
using Nethereum.Signer;
using Xunit.Abstractions;

namespace StoFunctions.Ethereum.Tests.Differential;

/// <summary>
/// Nethereum 6.1.0 as an independent oracle for transactions: random legacy, EIP-155, EIP-2930 and EIP-1559
/// transactions signed by both libraries must give the same raw bytes and hashes. The seeds are fixed and printed,
/// so a failure names a reproducible case.
/// </summary>
[Collection(NethereumCollection.Name)]
public class NethereumTransactionTests(ITestOutputHelper output)
{
    private const int Seed = 15_2026_12;

    [Fact]
    public void Ten_thousand_random_transactions_of_every_type_give_the_same_bytes_and_hashes_as_nethereum()
    {
        // Nethereum's default signer is BouncyCastle's ECDSA (about 2.5 ms of CPU a signature, too slow for 10,000
        // here); with SignRecoverable it signs through its own libsecp256k1 path. Its model, RLP, hashing, v/yParity
        // and EIP-155 rules are its own either way. 9,600 transactions go through that path in four seeded
        // partitions in parallel, then 400 through the BouncyCastle path, which is independent of our curve library too.
        const int partitions = 4;
        const int perPartition = 2_400;
        const int independent = 400;
        var byType = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var watch = Stopwatch.StartNew();
        bool recoverable = EthECKey.SignRecoverable;
        try
        {
            EthECKey.SignRecoverable = true;
            Parallel.For(0, partitions, p => Compare(Seed + p, perPartition, byType));
            EthECKey.SignRecoverable = false;
            Compare(Seed + partitions, independent, byType);
        }
        finally
        {
            EthECKey.SignRecoverable = recoverable;
        }

        output.WriteLine($"seeds {Seed}…{Seed + partitions - 1} ({perPartition} each, Nethereum's libsecp256k1 path) and {Seed + partitions} " +
                         $"({independent}, its BouncyCastle path): {string.Join(", ", byType.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}; " +
                         $"{watch.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(partitions * perPartition + independent, byType.Values.Sum());
        Assert.Equal(4, byType.Count);
        Assert.All(byType.Values, n => Assert.True(n > 2_000, $"only {n} of one type"));
    }

    private static void Compare(int seed, int count, System.Collections.Concurrent.ConcurrentDictionary<string, int> byType)
    {
        var random = new Random(seed);
        PrivateKey[] keys = Enumerable.Range(0, 8).Select(_ => PrivateKey.FromBytes(RandomTransactions.Bytes(random, 32))).ToArray();
        EthECKey[] theirKeys = keys.Select(k => new EthECKey(k.ExportSecret(), true)).ToArray();
        for (int i = 0; i < count; i++)
        {
            Transaction tx = RandomTransactions.Next(random);
            int k = random.Next(keys.Length);
            byte[] ours = TransactionSigner.SignAndSerialize(tx, keys[k]);
            string theirs = NethereumTransactions.Sign(tx, theirKeys[k]);
            if (Hex.EncodeNoPrefix(ours) != theirs)
            {
                Assert.Fail($"seed {seed}, transaction {i} ({tx}): ours 0x{Hex.EncodeNoPrefix(ours)} but Nethereum 0x{theirs}");
            }

            ISignedTransaction decoded = TransactionFactory.CreateTransaction(theirs);
            Assert.Equal(Keccak256.Hash(ours).ToArray(), decoded.Hash);
            Assert.Equal(TransactionSerializer.SigningHash(tx).ToArray(), decoded.RawHash);
            string label = tx is LegacyTransaction { ChainId: null } ? "legacy" : tx is LegacyTransaction ? "legacy EIP-155" : tx.Type.ToString();
            byType.AddOrUpdate(label, 1, (_, n) => n + 1);
        }
    }

    [Fact]
    public void A_hash_at_or_above_the_curve_order_signs_like_nethereums_rfc6979()
    {
        // RFC 6979 reduces the hash modulo n before it seeds the nonce generator; NBitcoin.Secp256k1's nonce function
        // does not, so without our reduction these hashes would get a different (still valid) signature than
        // BouncyCastle, Nethereum or ethers give them.
        var key = PrivateKey.Parse("0x4646464646464646464646464646464646464646464646464646464646464646");
        var theirKey = new EthECKey(key.ExportSecret(), true);
        bool recoverable = EthECKey.SignRecoverable;
        EthECKey.SignRecoverable = false;
        try
        {
            foreach (UInt256 value in new[] { Secp256k1.Order, Secp256k1.Order + 1UL, UInt256.MaxValue })
            {
                Hash32 hash = Hash32.FromBytes(value.ToBigEndian());
                Signature ours = key.Sign(hash);
                EthECDSASignature theirs = theirKey.SignAndCalculateYParityV(hash.ToArray());
                Assert.Equal(Hex.EncodeNoPrefix(theirs.R), Hex.EncodeNoPrefix(ours.R.ToBigEndianTrimmed()));
                Assert.Equal(Hex.EncodeNoPrefix(theirs.S), Hex.EncodeNoPrefix(ours.S.ToBigEndianTrimmed()));
                Assert.Equal(theirs.V.Length == 0 ? 0 : theirs.V[0], ours.YParity);
            }
        }
        finally
        {
            EthECKey.SignRecoverable = recoverable;
        }
    }
}
