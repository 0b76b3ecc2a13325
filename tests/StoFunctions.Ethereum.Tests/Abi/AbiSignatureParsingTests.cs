using StoFunctions.Ethereum.Abi;

namespace StoFunctions.Ethereum.Tests.Abi;

/// <summary>Human-readable signatures for functions, events, errors and constructors, and their rejection of bad text.</summary>
public sealed class AbiSignatureParsingTests
{
    [Fact]
    public void Function_WithNamesModifiersAndReturns_GivesCanonicalSignatureAndSelector()
    {
        AbiFunction transfer = AbiFunction.Parse("function transfer(address to, uint256 amount) external returns (bool)");

        Assert.Equal("transfer", transfer.Name);
        Assert.Equal("transfer(address,uint256)", transfer.Signature);
        Assert.Equal("0xa9059cbb", transfer.SelectorHex);
        Assert.Equal(["to", "amount"], transfer.Inputs.Select(p => p.Name));
        Assert.Equal(AbiType.Bool, Assert.Single(transfer.Outputs).Type);
        Assert.Equal(StateMutability.NonPayable, transfer.StateMutability);
        Assert.Equal("function transfer(address to, uint256 amount) returns (bool)", transfer.ToString());
    }

    [Theory]
    [InlineData("balanceOf(address)", "balanceOf(address)", "0x70a08231", StateMutability.NonPayable)]
    [InlineData("function balanceOf(address owner) view returns (uint256)", "balanceOf(address)", "0x70a08231", StateMutability.View)]
    [InlineData("function deposit() payable", "deposit()", "0xd0e30db0", StateMutability.Payable)]
    [InlineData("function f(string memory s, bytes calldata b, address payable p) pure", "f(string,bytes,address)", null, StateMutability.Pure)]
    [InlineData("function g(tuple(uint256 a, bool b)[] items)", "g((uint256,bool)[])", null, StateMutability.NonPayable)]
    public void Function_VariousForms_ParseToTheSameCanonicalSignature(string text, string signature, string? selector, StateMutability mutability)
    {
        AbiFunction function = AbiFunction.Parse(text);

        Assert.Equal(signature, function.Signature);
        Assert.Equal(mutability, function.StateMutability);
        if (selector is not null)
        {
            Assert.Equal(selector, function.SelectorHex);
        }
    }

    [Fact]
    public void Event_WithIndexedParameters_GivesTopicOfCanonicalSignature()
    {
        AbiEvent transfer = AbiEvent.Parse("event Transfer(address indexed from, address indexed to, uint256 value)");

        Assert.Equal("Transfer(address,address,uint256)", transfer.Signature);
        Assert.Equal(Hash32.Parse("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"), transfer.Topic);
        Assert.Equal([true, true, false], transfer.Inputs.Select(p => p.Indexed));
        Assert.Equal("event Transfer(address indexed from, address indexed to, uint256 value)", transfer.ToString());
    }

    [Fact]
    public void Error_WithUnnamedParameters_GivesSelector()
    {
        AbiError error = AbiError.Parse("error TooLarge(uint256,uint256)");

        Assert.Equal("TooLarge(uint256,uint256)", error.Signature);
        Assert.Equal(Hex.Encode(Keccak256.Hash("TooLarge(uint256,uint256)"u8).ToArray()[..4]), error.SelectorHex);
    }

    [Fact]
    public void Constructor_ParsesParametersAndPayable()
    {
        AbiConstructor constructor = AbiConstructor.Parse("constructor(uint256 limit_, string name) payable");

        Assert.Equal(["limit_", "name"], constructor.Inputs.Select(p => p.Name));
        Assert.Equal(StateMutability.Payable, constructor.StateMutability);
    }

    [Theory]
    [InlineData("", "the signature is empty", 0)]
    [InlineData("function", "the text ends where the function name was expected", 8)]
    [InlineData("function 1f()", "expected the function name but found '1'", 9)]
    [InlineData("function f", "the text ends where the parameter list of 'f' should start", 10)]
    [InlineData("function f(uint256", "ends inside the parameter list of 'f' opened at offset 10", 18)]
    [InlineData("function f(uint256 a b)", "unexpected 'b' after the parameter name 'a'", 21)]
    [InlineData("function f(uint256 indexed a)", "'indexed' is only allowed on event parameters", 19)]
    [InlineData("function f() view pure", "a second state mutability 'pure'", 18)]
    [InlineData("function f() returns", "the text ends where the return list of 'f' should start", 20)]
    [InlineData("function f() anonymous", "unexpected 'anonymous' after the parameter list of a function", 13)]
    [InlineData("event E(uint256) view", "unexpected 'view' after the parameter list of a event", 17)]
    [InlineData("event E(uint256 indexed indexed a)", "'indexed' appears twice", 24)]
    [InlineData("error E(uint256) returns (bool)", "unexpected 'returns'", 17)]
    [InlineData("function f(uint99 a)", "'uint99' is not a type", 11)]
    [InlineData("fallback() external", "'fallback' has no parameters", 0)]
    [InlineData("function f() ;", "expected a modifier", 13)]
    public void MalformedSignature_ThrowsNamingProblemAndPosition(string text, string problem, int position)
    {
        var error = Assert.Throws<AbiException>(() => ContractAbi.Parse(text));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal(position, error.Position);
    }

    [Fact]
    public void WrongKind_ForTheParser_SaysWhatWasDeclared()
    {
        var error = Assert.Throws<AbiException>(() => AbiEvent.Parse("function transfer(address,uint256)"));

        Assert.Contains("declares function 'transfer', not an event", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Event_WithFourIndexedParameters_IsRejectedUnlessAnonymous()
    {
        const string fourIndexed = "(uint8 indexed a, uint8 indexed b, uint8 indexed c, uint8 indexed d)";

        var error = Assert.Throws<AbiException>(() => AbiEvent.Parse("event E" + fourIndexed));
        Assert.Contains("has 4 indexed parameters; a log has room for 3", error.Message, StringComparison.Ordinal);

        AbiEvent anonymous = AbiEvent.Parse("event E" + fourIndexed + " anonymous");
        Assert.True(anonymous.Anonymous);
        Assert.Equal(4, anonymous.EncodeTopicFilter(1, 2, 3, 4).Count);
    }
}
