using System.Text.Json;
using StoFunctions.Testing;
using Xunit.Abstractions;

namespace StoFunctions.Ethereum.Tests.Transactions;

/// <summary>ethereum/tests TransactionTests (filled format): txbytes → hash and sender, or the expected rejection.</summary>
public class TransactionTestsFixtureTests(ITestOutputHelper output)
{
    private static readonly string[] s_forks =
    [
        "Frontier", "Homestead", "EIP150", "EIP158", "Byzantium", "Constantinople", "ConstantinopleFix", "Istanbul",
        "Berlin", "London", "Paris", "Shanghai", "Cancun",
    ];

    // The vector README: these are node/consensus rules, checked by TransactionRules rather than the decoder.
    private static readonly string[] s_nodeRules =
        ["INTRINSIC_GAS_TOO_LOW", "GASLIMIT_PRICE_PRODUCT_OVERFLOW", "PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS_2"];

    [Theory]
    [InlineData("ttAddress", 4)]
    [InlineData("ttData", 7)]
    [InlineData("ttEIP1559", 9)]
    [InlineData("ttEIP2930", 7)]
    [InlineData("ttSignature", 34)]
    [InlineData("ttVValue", 28)]
    [InlineData("ttValue", 3)]
    public void Every_test_in_directory_gives_hash_and_sender_or_is_rejected(string directory, int expectedTests)
    {
        string folder = RepoPaths.Vector("transactions", "ethereum-tests", "TransactionTests", directory);
        int valid = 0;
        int rejected = 0;
        foreach (string file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var test in doc.RootElement.EnumerateObject())
            {
                string label = $"{directory}/{Path.GetFileName(file)}:{test.Name}";
                byte[] raw = Hex.Decode(test.Value.GetProperty("txbytes").GetString()!);
                var results = test.Value.GetProperty("result");
                string fork = s_forks.Last(f => results.TryGetProperty(f, out _));
                var result = results.GetProperty(fork);
                if (result.TryGetProperty("hash", out var hash))
                {
                    SignedTransaction tx = TransactionSerializer.Parse(raw, expectedChainId: 1);
                    Assert.True(hash.GetString() == TransactionSerializer.Hash(raw).ToString(), label);
                    Assert.True(result.GetProperty("sender").GetString() == tx.RecoverSender().ToLowerHex(), label);
                    Assert.True(raw.AsSpan().SequenceEqual(tx.Serialize()), $"{label}: re-serialisation differs");
                    TransactionRules.Check(tx.Transaction);
                    Assert.Equal(ulong.Parse(result.GetProperty("intrinsicGas").GetString()![2..], System.Globalization.NumberStyles.HexNumber), TransactionRules.IntrinsicGas(tx.Transaction));
                    valid++;
                    continue;
                }

                string exception = result.GetProperty("exception").GetString()!.Replace("TransactionException.", "", StringComparison.Ordinal);
                TransactionException ex = s_nodeRules.Contains(exception)
                    ? Assert.Throws<TransactionException>(() => TransactionRules.Check(TransactionSerializer.Parse(raw, 1).Transaction))
                    : Assert.Throws<TransactionException>(() => TransactionSerializer.Parse(raw, expectedChainId: 1).RecoverSender());
                output.WriteLine($"  {label} [{exception}] -> {ex.Message}");
                rejected++;
            }
        }

        output.WriteLine($"transactions/ethereum-tests/TransactionTests/{directory}: {valid + rejected} tests ({valid} valid, {rejected} rejected as expected)");
        Assert.Equal(expectedTests, valid + rejected);
    }
}
