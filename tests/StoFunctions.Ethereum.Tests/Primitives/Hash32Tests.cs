namespace StoFunctions.Ethereum.Tests.Primitives;

public class Hash32Tests
{
    private const string Sample = "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470";

    [Fact]
    public void Parse_then_ToString_gives_lowercase_prefixed_hex()
    {
        Assert.Equal(Sample, Hash32.Parse(Sample.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)).ToString());
        Assert.Equal(Sample, Hash32.Parse(Sample[2..]).ToString());
    }

    [Fact]
    public void Bytes_round_trip_and_equality()
    {
        Hash32 h = Hash32.Parse(Sample);
        Assert.Equal(h, Hash32.FromBytes(h.ToArray()));
        Assert.True(h == Hash32.FromBytes(Hex.Decode(Sample)));
        Assert.True(h != Hash32.Zero);
        Assert.True(Hash32.Zero.IsZero);
        Span<byte> buffer = stackalloc byte[32];
        h.CopyTo(buffer);
        Assert.Equal(Hex.Decode(Sample), buffer.ToArray());
    }

    [Theory]
    [InlineData("0x1234", "expected 64 hex digits")]
    [InlineData("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a47x", "'x' at position 65")]
    public void Parse_malformed_text_throws_naming_the_problem(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => Hash32.Parse(text));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.False(Hash32.TryParse(text, out _));
    }

    [Fact]
    public void FromBytes_wrong_length_throws()
    {
        Assert.Throws<ArgumentException>(() => Hash32.FromBytes(new byte[31]));
    }
}
