using System.Numerics;
using StoFunctions.Ethereum.Abi;

namespace StoFunctions.Ethereum.Tests.Abi;

/// <summary>Value mapping, encoder errors with parameter paths, and the strict decoder's rejections with byte offsets.</summary>
public sealed class AbiCodecTests
{
    private static readonly AbiFunction s_transfer = AbiFunction.Parse("function transfer(address to, uint256 amount) returns (bool)");
    private static readonly Address s_to = Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

    [Fact]
    public void Transfer_EncodesSelectorAddressAndAmount()
    {
        byte[] call = s_transfer.EncodeCall(s_to, (UInt256)1_000_000UL);

        Assert.Equal(
            "0xa9059cbb00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c800000000000000000000000000000000000000000000000000000000000f4240",
            Hex.Encode(call));
        object[] decoded = s_transfer.DecodeCall(call);
        Assert.Equal(s_to, decoded[0]);
        Assert.Equal((UInt256)1_000_000UL, decoded[1]);
    }

    [Fact]
    public void Integers_AcceptedAsUInt256BigIntegerAndPrimitives_EncodeAlike()
    {
        AbiType[] types = [AbiType.UInt(64), AbiType.UInt(64), AbiType.UInt(64), AbiType.UInt(64)];

        byte[] encoded = AbiCodec.Encode(types, (UInt256)300UL, new BigInteger(300), 300, 300UL);

        Assert.All(AbiCodec.Decode(types, encoded), v => Assert.Equal((UInt256)300UL, v));
    }

    [Theory]
    [InlineData(8, -128, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff80")]
    [InlineData(8, 127, "000000000000000000000000000000000000000000000000000000000000007f")]
    [InlineData(256, -1, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    [InlineData(16, -256, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff00")]
    public void SignedIntegers_UseTwosComplementAndRoundTrip(int bits, long value, string hex)
    {
        AbiType type = AbiType.Int(bits);

        byte[] encoded = AbiCodec.Encode([type], new BigInteger(value));

        Assert.Equal(hex, Hex.EncodeNoPrefix(encoded));
        Assert.Equal(new BigInteger(value), AbiCodec.Decode([type], encoded)[0]);
    }

    [Fact]
    public void ValueTuplesAndLists_AreAcceptedForTuplesAndArrays()
    {
        AbiType type = AbiType.Parse("(address,uint256[])");

        byte[] fromTuple = AbiCodec.Encode([type], (s_to, new List<UInt256> { 1UL, 2UL }));
        // A lone object[] argument would bind to the params span itself, so a tuple given as object[] is cast to object.
        byte[] fromArrays = AbiCodec.Encode([type], (object)new object[] { s_to, new object[] { (UInt256)1UL, (UInt256)2UL } });

        Assert.Equal(fromArrays, fromTuple);
    }

    [Theory]
    [InlineData("uint8", 256, "256 does not fit in uint8", "amounts[1]")]
    [InlineData("uint256", -1, "-1 does not fit in uint256", "amounts[1]")]
    [InlineData("int8", 128, "128 does not fit in int8", "amounts[1]")]
    [InlineData("bool", 1, "a bool value must be a bool, not Int32", "amounts[0]")]
    public void EncodeError_NamesTheParameterPath(string elementType, int bad, string problem, string path)
    {
        AbiFunction function = AbiFunction.Parse($"function f(address to, {elementType}[] amounts)");

        var error = Assert.Throws<AbiException>(() => function.EncodeCall(s_to, new object[] { 1, bad }));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void EncodeError_WrongCountsAndLengths_AreNamed()
    {
        Assert.Contains("expected 2 values for the 2 parameters but got 1", Assert.Throws<AbiException>(() => s_transfer.EncodeCall(s_to)).Message, StringComparison.Ordinal);

        AbiFunction f = AbiFunction.Parse("function f((bytes4 tag, address[2] pair) item)");
        var wrongLength = Assert.Throws<AbiException>(() => f.EncodeCall((object)new object[] { new byte[4], new object[] { s_to } }));
        Assert.Equal("item.pair", wrongLength.Path);
        Assert.Contains("address[2] needs exactly 2 elements but the value has 1", wrongLength.Message, StringComparison.Ordinal);

        var wrongBytes = Assert.Throws<AbiException>(() => f.EncodeCall((object)new object[] { new byte[3], new object[] { s_to, s_to } }));
        Assert.Equal("item.tag", wrongBytes.Path);
        Assert.Contains("bytes4 needs exactly 4 bytes but the value has 3", wrongBytes.Message, StringComparison.Ordinal);

        var badAddress = Assert.Throws<AbiException>(() => s_transfer.EncodeCall("0x70997970C51812dc3A010C7d01b50e0d17dc79c8", UInt256.One));
        Assert.Equal("to", badAddress.Path);
        Assert.Contains("is not an address", badAddress.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, string?, int> MalformedEncodings => new()
    {
        // types, encoding (hex without 0x, words separated by spaces for reading), problem, path, offset
        { "uint8", W("0000000000000000000000000000000000000000000000000000000000000100"), "uint8 has non-zero bytes above its 8 bits", "[0]", 0 },
        { "int8", W("00000000000000000000000000000000000000000000000000000000000000ff"), "int8 is not sign-extended", "[0]", 0 },
        { "int8", W("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), "int8 is not sign-extended", "[0]", 0 },
        { "address", W("0000000000000000000000010000000000000000000000000000000000000001"), "an address has non-zero bytes in its 12 padding bytes", "[0]", 0 },
        { "bool", W("0000000000000000000000000000000000000000000000000000000000000002"), "a bool must be the word 0 or 1", "[0]", 0 },
        { "uint256,bool", W("0000000000000000000000000000000000000000000000000000000000000001", "0100000000000000000000000000000000000000000000000000000000000001"), "a bool must be the word 0 or 1", "[1]", 32 },
        { "bytes2", W("1234560000000000000000000000000000000000000000000000000000000000"), "bytes2 has non-zero bytes in its right padding", "[0]", 0 },
        { "uint256", "00", "the data ends at byte 1 but a uint256 word needs 32 bytes", "[0]", 0 },
        { "bytes", W("0000000000000000000000000000000000000000000000000000000000000040"), "the offset 64 points past the end of the data", "[0]", 0 },
        { "bytes", W("0000000000000000000000000000000000000000000000000000000000000020", "0000000000000000000000000000000000000000000000000000000000000021", "0000000000000000000000000000000000000000000000000000000000000000"), "bytes of 33 bytes (padded to 64) runs past the end of the data (32 bytes remain)", "[0]", 32 },
        { "bytes", W("0000000000000000000000000000000000000000000000000000000000000020", "0000000000000000000000000000000000000000000000000000000000000001", "ab000000000000000000000000000000000000000000000000000000000000cd"), "bytes has non-zero bytes in its right padding", "[0]", 65 },
        { "string", W("0000000000000000000000000000000000000000000000000000000000000020", "0000000000000000000000000000000000000000000000000000000000000002", "c328000000000000000000000000000000000000000000000000000000000000"), "the string is not valid UTF-8", "[0]", 64 },
        { "uint256[]", W("0000000000000000000000000000000000000000000000000000000000000020", "00000000000000000000000000000000000000000000000000000000000f4240"), "uint256[] with 1000000 elements needs 32000000 bytes of heads but only 0 remain", "[0]", 32 },
        { "uint256[]", W("0000000000000000000000000000000000000000000000000000000000000020", "0100000000000000000000000000000000000000000000000000000000000000"), "the array length 0x1", "[0]", 32 },
        { "(uint256,bool[])", W("0000000000000000000000000000000000000000000000000000000000000020", "0000000000000000000000000000000000000000000000000000000000000001", "0000000000000000000000000000000000000000000000000000000000000040", "0000000000000000000000000000000000000000000000000000000000000002", "0000000000000000000000000000000000000000000000000000000000000001", "0000000000000000000000000000000000000000000000000000000000000003"), "a bool must be the word 0 or 1", "[0][1][1]", 160 },
    };

    [Theory]
    [MemberData(nameof(MalformedEncodings))]
    public void Decode_MalformedData_ThrowsNamingPathAndOffset(string types, string hex, string problem, string? path, int offset)
    {
        AbiType[] parsed = types.StartsWith('(') ? [AbiType.Parse(types)] : types.Split(',').Select(AbiType.Parse).ToArray();

        var error = Assert.Throws<AbiException>(() => AbiCodec.Decode(parsed, Hex.Decode("0x" + hex)));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.Path);
        Assert.Equal(offset, error.Position);
    }

    [Fact]
    public void DecodeCall_OffsetsCountFromTheStartOfCallData()
    {
        byte[] call = s_transfer.EncodeCall(s_to, UInt256.One);
        call[4] = 1;

        var error = Assert.Throws<AbiException>(() => s_transfer.DecodeCall(call));

        Assert.Equal("to", error.Path);
        Assert.Equal(4, error.Position);
    }

    [Fact]
    public void DecodeCall_WrongSelector_SaysBothSelectors()
    {
        var error = Assert.Throws<AbiException>(() => s_transfer.DecodeCall(Hex.Decode("0x095ea7b3")));

        Assert.Contains("selector 0x095ea7b3 but transfer(address,uint256) has selector 0xa9059cbb", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_OffsetsReusingOneTail_AreBoundedByTheBudget()
    {
        // 2,000 dynamic elements all pointing at the same 1,000-element array: legal per the spec, but it would
        // decode 2 million values from 64 KiB. The decoder refuses it rather than allocating.
        const int outer = 2000;
        const int inner = 1000;
        var words = new List<string> { Word(0x20), Word(outer) };
        for (int i = 0; i < outer; i++)
        {
            words.Add(Word(outer * 32));
        }

        words.Add(Word(inner));
        for (int i = 0; i < inner; i++)
        {
            words.Add(Word(7));
        }

        var error = Assert.Throws<AbiException>(() => AbiCodec.Decode([AbiType.Parse("uint256[][]")], Hex.Decode("0x" + string.Concat(words))));

        Assert.Contains("decodes to far more values than its size allows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TrailingBytes_AreIgnoredLikeSolidity()
    {
        byte[] data = [.. AbiCodec.Encode([AbiType.Bool], true), 0xde, 0xad];

        Assert.Equal(true, AbiCodec.Decode([AbiType.Bool], data)[0]);
    }

    [Fact]
    public void Constructor_EncodeDeployment_AppendsArgumentsToBytecode()
    {
        AbiConstructor constructor = AbiConstructor.Parse("constructor(uint256 limit)");

        byte[] data = constructor.EncodeDeployment(new byte[] { 0x60, 0x80 }, (UInt256)100UL);

        Assert.Equal("0x6080" + Word(100), Hex.Encode(data));
        Assert.Contains("bytecode is empty", Assert.Throws<AbiException>(() => constructor.EncodeDeployment([], UInt256.One)).Message, StringComparison.Ordinal);
    }

    private static string W(params string[] words) => string.Concat(words);

    private static string Word(long value) => value.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);
}
