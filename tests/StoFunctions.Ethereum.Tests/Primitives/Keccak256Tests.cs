using System.Text;
using Xunit.Abstractions;

namespace StoFunctions.Ethereum.Tests.Primitives;

public class Keccak256Tests(ITestOutputHelper output)
{
    [Fact]
    public void ShortMsgKAT_256_all_byte_aligned_messages_match()
    {
        int cases = 0;
        int length = -1;
        string? message = null;
        foreach (string raw in CoreVectors.Text("keccak", "ShortMsgKAT_256.txt").Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith("Len = ", StringComparison.Ordinal))
            {
                length = int.Parse(line[6..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("Msg = ", StringComparison.Ordinal))
            {
                message = line[6..];
            }
            else if (line.StartsWith("MD = ", StringComparison.Ordinal))
            {
                byte[] data = Hex.Decode(message!)[..(length / 8)];
                Assert.Equal(line[5..].ToLowerInvariant(), Keccak256.Hash(data).ToString()[2..]);
                cases++;
            }
        }

        output.WriteLine($"keccak/ShortMsgKAT_256.txt: {cases} cases");
        Assert.Equal(256, cases);
    }

    [Fact]
    public void Ethers_v6_hashes_all_match()
    {
        using var doc = CoreVectors.Json("keccak", "ethers-v6-hashes.json.gz");
        int cases = 0;
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            byte[] data = Hex.Decode(item.GetProperty("data").GetString()!);
            Assert.Equal(item.GetProperty("keccak256").GetString(), Keccak256.Hash(data).ToString());
            cases++;
        }

        output.WriteLine($"keccak/ethers-v6-hashes.json.gz: {cases} cases");
        Assert.Equal(257, cases);
    }

    [Fact]
    public void Multi_block_input_matches_known_digest_of_a_million_a()
    {
        // Keccak team's long-message reference: 1,000,000 × 'a' (spans 7,353 rate blocks).
        byte[] data = Encoding.ASCII.GetBytes(new string('a', 1_000_000));
        Assert.Equal("0xfadae6b49f129bbb812be8407b7b2894f34aecf6dbd1f9b0f0c7e9853098fc96", Keccak256.Hash(data).ToString());
    }

    [Fact]
    public void Span_overload_writes_same_digest_and_rejects_short_destination()
    {
        byte[] data = Encoding.ASCII.GetBytes("hello");
        Span<byte> digest = stackalloc byte[40];
        Keccak256.Hash(data, digest);
        Assert.Equal(Keccak256.Hash(data).ToArray(), digest[..32].ToArray());
        Assert.Throws<ArgumentException>(() => Keccak256.Hash(data, new byte[31]));
    }
}
