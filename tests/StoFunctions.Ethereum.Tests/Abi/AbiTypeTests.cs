using StoFunctions.Ethereum.Abi;

namespace StoFunctions.Ethereum.Tests.Abi;

public sealed class AbiTypeTests
{
    [Theory]
    [InlineData("uint256", "uint256", false, 32)]
    [InlineData("uint", "uint256", false, 32)]
    [InlineData("int", "int256", false, 32)]
    [InlineData("int8", "int8", false, 32)]
    [InlineData("bytes32", "bytes32", false, 32)]
    [InlineData("bytes", "bytes", true, 32)]
    [InlineData("string[]", "string[]", true, 32)]
    [InlineData("address[3]", "address[3]", false, 96)]
    [InlineData("uint8[2][3]", "uint8[2][3]", false, 192)]
    [InlineData("string[2]", "string[2]", true, 32)]
    [InlineData("(uint256,bool)", "(uint256,bool)", false, 64)]
    [InlineData("tuple(uint256 a, (address b, bytes c)[] d)[2]", "(uint256,(address,bytes)[])[2]", true, 32)]
    [InlineData(" ( uint256 , bool ) ", "(uint256,bool)", false, 64)]
    [InlineData("()", "()", false, 0)]
    public void Parse_ValidType_GivesCanonicalNameAndLayout(string text, string canonical, bool dynamic, int headSize)
    {
        AbiType type = AbiType.Parse(text);

        Assert.Equal(canonical, type.CanonicalName);
        Assert.Equal(dynamic, type.IsDynamic);
        Assert.Equal(headSize, type.StaticSize);
        Assert.Equal(type, AbiType.Parse(canonical));
    }

    [Fact]
    public void Parse_NestedTuple_KeepsComponentNames()
    {
        AbiType type = AbiType.Parse("(address to, uint256[] amounts)[]");

        Assert.Equal(AbiTypeKind.Array, type.Kind);
        AbiType tuple = type.ElementType!;
        Assert.Equal(["to", "amounts"], tuple.Components.Select(c => c.Name));
        Assert.Equal(AbiType.ArrayOf(AbiType.UInt256), tuple.Components[1].Type);
    }

    [Theory]
    [InlineData("", "the text ends where a type was expected", 0)]
    [InlineData("uint7", "'uint7' is not a type", 0)]
    [InlineData("uint264", "'uint264' is not a type", 0)]
    [InlineData("uint08", "without leading zeros", 0)]
    [InlineData("int0", "without leading zeros", 0)]
    [InlineData("bytes33", "bytesN needs 1 <= N <= 32", 0)]
    [InlineData("bytes0", "without leading zeros", 0)]
    [InlineData("byte", "write 'bytes1'", 0)]
    [InlineData("fixed128x18", "fixed-point type", 0)]
    [InlineData("function", "not supported", 0)]
    [InlineData("uint256[", "ends inside the array suffix opened at offset 7", 8)]
    [InlineData("uint256[0]", "between 1 and", 8)]
    [InlineData("uint256[01]", "leading zero", 8)]
    [InlineData("uint256[x]", "found 'x'", 8)]
    [InlineData("(uint256,bool", "ends inside a tuple opened at offset 0", 13)]
    [InlineData("(uint256;bool)", "expected ',' or ')' in a tuple but found ';'", 8)]
    [InlineData("(uint256,)", "expected a type but found ')'", 9)]
    [InlineData("uint256 extra junk", "unexpected 'e' after the type 'uint256'", 8)]
    [InlineData("tuple", "'tuple' must be followed", 5)]
    [InlineData("address indexed", "unexpected 'i' after the type 'address'", 8)]
    [InlineData("strin", "unknown type 'strin'", 0)]
    [InlineData("uint256[][99999999999]", "between 1 and", 10)]
    [InlineData("uint256[100000000]", "static types larger than", 7)]
    public void Parse_MalformedType_ThrowsNamingProblemAndPosition(string text, string problem, int position)
    {
        var error = Assert.Throws<AbiException>(() => AbiType.Parse(text));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal(position, error.Position);
        Assert.Contains($"offset {position}", error.Message, StringComparison.Ordinal);
        Assert.False(AbiType.TryParse(text, out _));
    }
}
