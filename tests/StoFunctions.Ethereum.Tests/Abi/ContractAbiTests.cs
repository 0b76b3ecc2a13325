using StoFunctions.Ethereum.Abi;

namespace StoFunctions.Ethereum.Tests.Abi;

public sealed class ContractAbiTests
{
    private const string Erc20Json = """
        [
          {"type":"constructor","inputs":[{"name":"supply","type":"uint256"}],"stateMutability":"nonpayable"},
          {"type":"function","name":"transfer","inputs":[{"name":"to","type":"address"},{"name":"value","type":"uint256"}],"outputs":[{"name":"","type":"bool"}],"stateMutability":"nonpayable"},
          {"type":"function","name":"balanceOf","inputs":[{"name":"account","type":"address"}],"outputs":[{"name":"","type":"uint256"}],"stateMutability":"view"},
          {"type":"function","name":"batch","inputs":[{"name":"items","type":"tuple[2][]","components":[{"name":"to","type":"address"},{"name":"tags","type":"bytes4[]"}]}],"outputs":[],"stateMutability":"nonpayable"},
          {"type":"function","name":"safeTransferFrom","inputs":[{"name":"from","type":"address"},{"name":"to","type":"address"},{"name":"id","type":"uint256"}],"outputs":[]},
          {"type":"function","name":"safeTransferFrom","inputs":[{"name":"from","type":"address"},{"name":"to","type":"address"},{"name":"id","type":"uint256"},{"name":"data","type":"bytes"}],"outputs":[]},
          {"type":"event","name":"Transfer","inputs":[{"name":"from","type":"address","indexed":true},{"name":"to","type":"address","indexed":true},{"name":"value","type":"uint256","indexed":false}],"anonymous":false},
          {"type":"error","name":"ERC20InsufficientBalance","inputs":[{"name":"sender","type":"address"},{"name":"balance","type":"uint256"},{"name":"needed","type":"uint256"}]},
          {"type":"fallback","stateMutability":"payable"},
          {"type":"receive","stateMutability":"payable"}
        ]
        """;

    [Fact]
    public void FromJson_SolcAbi_LoadsEveryMemberWithCanonicalSignatures()
    {
        ContractAbi abi = ContractAbi.FromJson(Erc20Json);

        Assert.Equal(5, abi.Functions.Count);
        Assert.Equal("0xa9059cbb", abi.GetFunction("transfer").SelectorHex);
        Assert.Equal(StateMutability.View, abi.GetFunction("balanceOf").StateMutability);
        Assert.Equal("batch((address,bytes4[])[2][])", abi.GetFunction("batch").Signature);
        Assert.Equal("0x42842e0e", abi.GetFunction("safeTransferFrom(address,address,uint256)").SelectorHex);
        Assert.Equal("0xb88d4fde", abi.GetFunction("safeTransferFrom(address, address, uint256, bytes)").SelectorHex);
        Assert.Equal(Hash32.Parse("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"), abi.GetEvent("Transfer").Topic);
        Assert.Equal("ERC20InsufficientBalance(address,uint256,uint256)", abi.GetError("ERC20InsufficientBalance").Signature);
        Assert.Equal("supply", Assert.Single(abi.Constructor!.Inputs).Name);
        Assert.Same(abi.GetFunction("transfer"), abi.FindFunction(abi.GetFunction("transfer").EncodeCall(Address.Zero, UInt256.One)));
    }

    [Fact]
    public void FromJson_ArtifactObjectWithAbiProperty_IsAccepted()
    {
        ContractAbi abi = ContractAbi.FromJson("{\"contractName\":\"X\",\"abi\":" + Erc20Json + "}");

        Assert.Equal(5, abi.Functions.Count);
    }

    [Fact]
    public void Lookups_MissingOrOverloadedNames_SayWhatExists()
    {
        ContractAbi abi = ContractAbi.FromJson(Erc20Json);

        Assert.Contains("the ABI has no function 'approve'; it has transfer(address,uint256)", Assert.Throws<AbiException>(() => abi.GetFunction("approve")).Message, StringComparison.Ordinal);
        Assert.Contains("'safeTransferFrom' is overloaded (safeTransferFrom(address,address,uint256), safeTransferFrom(address,address,uint256,bytes)); pass the full signature", Assert.Throws<AbiException>(() => abi.GetFunction("safeTransferFrom")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeRevertAndLog_UseTheContractsOwnDefinitions()
    {
        ContractAbi abi = ContractAbi.FromJson(Erc20Json);
        AbiError insufficient = abi.GetError("ERC20InsufficientBalance");

        RevertReason reason = abi.DecodeRevert(insufficient.Encode(Address.Zero, (UInt256)1UL, (UInt256)2UL));
        (IReadOnlyList<Hash32> topics, byte[] data) = abi.GetEvent("Transfer").EncodeLog(Address.Zero, Address.Zero, (UInt256)9UL);

        Assert.Equal(RevertKind.Custom, reason.Kind);
        Assert.Equal((UInt256)9UL, abi.DecodeLog(topics, data)["value"]);
        Assert.Contains("matches none of the events Transfer(address,address,uint256)", Assert.Throws<AbiException>(() => abi.DecodeLog([Hash32.Zero], [])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HumanReadableAbi_ParsesAllKinds()
    {
        ContractAbi abi = ContractAbi.Parse(
            "constructor(uint256 limit_)",
            "function poke(uint256 value, string note) returns (uint256)",
            "event Poked(address indexed by, uint256 value, string note)",
            "error TooLarge(uint256 value, uint256 limit)");

        Assert.Equal("poke(uint256,string)", abi.GetFunction("poke").Signature);
        Assert.Equal("Poked(address,uint256,string)", abi.GetEvent("Poked").Signature);
        Assert.Equal("TooLarge(uint256,uint256)", abi.GetError("TooLarge").Signature);
        Assert.NotNull(abi.Constructor);
    }

    [Theory]
    [InlineData("not json", "is not valid JSON")]
    [InlineData("{\"x\":1}", "must be an array of entries")]
    [InlineData("[1]", "abi[0] must be an object")]
    [InlineData("[{\"type\":\"function\",\"inputs\":[]}]", "abi[0] has no 'name'")]
    [InlineData("[{\"type\":\"thing\",\"name\":\"f\"}]", "abi[0].type is 'thing'")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"name\":\"a\",\"type\":\"uint7\"}]}]", "abi[0].inputs[0].type: Invalid ABI text \"uint7\": 'uint7' is not a type")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"name\":\"a\",\"type\":\"tuple\"}]}]", "abi[0].inputs[0] has type 'tuple' but no 'components' array")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"name\":\"a\",\"type\":\"uint8\",\"indexed\":true}]}]", "abi[0].inputs[0] is marked indexed")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\",\"stateMutability\":\"cheap\"}]", "abi[0].stateMutability is 'cheap'")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f g\"}]", "'f g' is not a valid function name")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\",\"inputs\":{}}]", "abi[0].inputs must be an array")]
    public void FromJson_MalformedAbi_ThrowsNamingTheEntry(string json, string problem)
    {
        var error = Assert.Throws<AbiException>(() => ContractAbi.FromJson(json));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
