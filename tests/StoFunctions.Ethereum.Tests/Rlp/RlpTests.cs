using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace StoFunctions.Ethereum.Tests.Rlp;

public class RlpTests(ITestOutputHelper output)
{
    [Fact]
    public void Rlptest_all_valid_cases_encode_exactly_and_decode_back()
    {
        using var doc = CoreVectors.Json("rlp", "rlptest.json");
        int cases = 0;
        foreach (var test in doc.RootElement.EnumerateObject())
        {
            RlpItem expected = Build(test.Value.GetProperty("in"));
            byte[] outBytes = Hex.Decode(test.Value.GetProperty("out").GetString()!);
            Assert.True(outBytes.AsSpan().SequenceEqual(Ethereum.Rlp.Encode(expected)), $"{test.Name}: encoding differs");
            Assert.Equal(expected, Ethereum.Rlp.Decode(outBytes));
            Assert.Equal(outBytes.Length, Ethereum.Rlp.LengthOf(expected));
            cases++;
        }

        output.WriteLine($"rlp/rlptest.json: {cases} cases");
        Assert.Equal(28, cases);
    }

    [Fact]
    public void InvalidRLPTest_every_case_is_rejected_with_RlpException()
    {
        using var doc = CoreVectors.Json("rlp", "invalidRLPTest.json");
        int cases = 0;
        foreach (var test in doc.RootElement.EnumerateObject())
        {
            byte[] bytes = Hex.Decode(test.Value.GetProperty("out").GetString()!);
            var ex = Assert.Throws<RlpException>(() => Ethereum.Rlp.Decode(bytes));
            output.WriteLine($"  {test.Name}: {ex.Message}");
            cases++;
        }

        output.WriteLine($"rlp/invalidRLPTest.json: {cases} cases");
        Assert.Equal(26, cases);
    }

    [Theory]
    [InlineData("8100", "single byte 0x00 wrapped", 0)]
    [InlineData("b800", "leading zero byte", 0)]
    [InlineData("b801ff", "long-form header for a 1-byte payload", 0)]
    [InlineData("f803112233", "long-form header for a 3-byte payload", 0)]
    [InlineData("c5010203", "declares 5 payload byte(s) but only 3 remain", 0)]
    [InlineData("8001", "1 unexpected trailing byte(s)", 1)]
    [InlineData("", "input ended", 0)]
    [InlineData("c3c28100", "single byte 0x00 wrapped", 2)]
    [InlineData("bc0100000000", "exceeds the 32-bit limit", 0)]
    [InlineData("bbffffffff", "declares 4294967295 payload byte(s) but only 0 remain", 0)]
    public void Decode_names_reason_and_position(string hex, string reason, int position)
    {
        var ex = Assert.Throws<RlpException>(() => Ethereum.Rlp.Decode(Hex.Decode(hex)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Equal(position, ex.Position);
    }

    [Fact]
    public void Reader_integers_reject_leading_zeros_and_overwide_values()
    {
        var ex = Assert.Throws<RlpException>(() => new RlpReader(Hex.Decode("820001")).ReadUInt256("nonce"));
        Assert.Contains("nonce has a leading zero byte", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<RlpException>(() => new RlpReader(Hex.Decode("89010203040506070809")).ReadUInt64("gas"));
        Assert.Contains("gas is 9 bytes wide", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0x0102030405060708UL, new RlpReader(Hex.Decode("880102030405060708")).ReadUInt64());
        Assert.Equal(UInt256.Zero, new RlpReader([0x80]).ReadUInt256());
    }

    [Fact]
    public void Writer_integers_match_tree_encoding_for_boundaries()
    {
        ulong[] values = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff_ffff, ulong.MaxValue];
        foreach (ulong value in values)
        {
            byte[] expected = Ethereum.Rlp.Encode(RlpItem.Integer(value));
            var viaUInt64 = new byte[Ethereum.Rlp.LengthOfUInt64(value)];
            var writer = new RlpWriter(viaUInt64);
            writer.WriteUInt64(value);
            Assert.Equal(expected, viaUInt64);
            Assert.Equal(expected, Ethereum.Rlp.EncodeUInt256(value));
            Assert.Equal(value, (ulong)Ethereum.Rlp.Decode(expected).ToUInt256());
        }
    }

    [Fact]
    public void Long_payloads_round_trip_across_header_size_boundaries()
    {
        foreach (int length in new[] { 55, 56, 255, 256, 65_535, 65_536, 1 << 20 })
        {
            byte[] payload = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
            byte[] encoded = Ethereum.Rlp.EncodeBytes(payload);
            Assert.Equal(payload, Ethereum.Rlp.Decode(encoded).Bytes.ToArray());
            byte[] list = Ethereum.Rlp.EncodeList(encoded, Ethereum.Rlp.EncodeBytes([1]));
            RlpItem decoded = Ethereum.Rlp.Decode(list);
            Assert.Equal(2, decoded.Items.Count);
            Assert.Equal(payload, decoded.Items[0].Bytes.ToArray());
        }
    }

    private static RlpItem Build(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
                return RlpItem.List(value.EnumerateArray().Select(Build));
            case JsonValueKind.Number:
                return Integer(BigInteger.Parse(value.GetRawText(), CultureInfo.InvariantCulture));
            default:
                string text = value.GetString()!;
                return text.StartsWith('#')
                    ? Integer(BigInteger.Parse(text[1..], CultureInfo.InvariantCulture))
                    : RlpItem.String(Encoding.UTF8.GetBytes(text));
        }

        // 2^256 (the "bigint" case) is one byte wider than UInt256, so integers go through BigInteger here.
        static RlpItem Integer(BigInteger number) =>
            RlpItem.String(number.IsZero ? [] : number.ToByteArray(isUnsigned: true, isBigEndian: true));
    }
}
