using StoFunctions.Ethereum.Abi;
using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Ethereum.Tests.Rpc;

public sealed class JsonRpcExceptionTests
{
    private static readonly string s_errorHex = Hex.Encode(AbiError.ErrorString.Encode("denied"));

    [Theory]
    [InlineData("\"{0}\"")]
    [InlineData("{{\"data\":\"{0}\"}}")]
    [InlineData("{{\"originalError\":{{\"code\":3,\"data\":\"{0}\"}}}}")]
    public void RevertData_PlainOrNestedAsProvidersSendIt_IsFoundAndDecoded(string dataJson)
    {
        var error = new JsonRpcException("eth_call", 3, "execution reverted: denied", string.Format(System.Globalization.CultureInfo.InvariantCulture, dataJson, s_errorHex));

        Assert.True(error.TryGetRevertData(out byte[] data));
        Assert.Equal(s_errorHex, Hex.Encode(data));
        Assert.Equal("denied", error.DecodeRevert()!.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("\"not hex\"")]
    [InlineData("{\"reason\":\"x\"}")]
    [InlineData("{broken")]
    public void NoUsableRevertData_GivesFalseAndNull(string? dataJson)
    {
        var error = new JsonRpcException("eth_call", -32000, "execution reverted", dataJson);

        Assert.False(error.TryGetRevertData(out byte[] data));
        Assert.Empty(data);
        Assert.Null(error.DecodeRevert());
    }

    [Fact]
    public void Message_SaysMethodCodeMessageAndData()
    {
        var error = new JsonRpcException("eth_sendRawTransaction", -32003, "nonce too low", "{\"x\":1}");

        Assert.Equal("eth_sendRawTransaction failed with JSON-RPC error -32003: nonce too low (data: {\"x\":1})", error.Message);
    }
}
