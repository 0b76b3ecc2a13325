namespace StoFunctions.Ethereum.Tests.Primitives;

public class HexTests
{
    [Fact]
    public void Encode_bytes_gives_lowercase_with_prefix()
    {
        Assert.Equal("0x00ff10ab", Hex.Encode([0x00, 0xFF, 0x10, 0xAB]));
        Assert.Equal("0x", Hex.Encode([]));
        Assert.Equal("00ff10ab", Hex.EncodeNoPrefix([0x00, 0xFF, 0x10, 0xAB]));
    }

    [Theory]
    [InlineData("0x00FF10ab")]
    [InlineData("00ff10AB")]
    [InlineData("0X00ff10ab")]
    public void Decode_accepts_prefix_and_either_case(string text)
    {
        Assert.Equal(new byte[] { 0x00, 0xFF, 0x10, 0xAB }, Hex.Decode(text));
    }

    [Fact]
    public void Decode_empty_and_bare_prefix_give_empty_array()
    {
        Assert.Empty(Hex.Decode(""));
        Assert.Empty(Hex.Decode("0x"));
    }

    [Fact]
    public void Decode_odd_length_throws_naming_the_last_position()
    {
        var ex = Assert.Throws<FormatException>(() => Hex.Decode("0xabc"));
        Assert.Contains("odd number of digits (3)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("position 4 ('c')", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_non_hex_character_throws_naming_position_and_character()
    {
        var ex = Assert.Throws<FormatException>(() => Hex.Decode("0x12g4"));
        Assert.Contains("'g' at position 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_returns_false_for_null_and_bad_text()
    {
        Assert.False(Hex.TryDecode(null, out _));
        Assert.False(Hex.TryDecode("0x1", out _));
        Assert.False(Hex.TryDecode("zz", out _));
        Assert.True(Hex.TryDecode("0x0102", out byte[]? bytes));
        Assert.Equal(new byte[] { 1, 2 }, bytes);
    }
}
