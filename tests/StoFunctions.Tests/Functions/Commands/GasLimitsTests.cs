using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;

namespace StoFunctions.Tests.Functions.Commands;

public sealed class GasLimitsTests
{
    [Theory]
    [InlineData(150_300UL, 30_000_000UL, 180_960UL)]
    [InlineData(21_000UL, 30_000_000UL, 25_800UL)]
    [InlineData(26_000_000UL, 30_000_000UL, 30_000_000UL)]
    public void WithMargin_AddsATwentiethTimesFourAndTheTagAllowance_CappedByTheBlock(ulong estimate, ulong block, ulong expected)
    {
        Assert.Equal(expected, GasLimits.WithMargin(estimate, block));
    }

    [Fact]
    public void WithMargin_CoversTheLargestBusinessKeyTag()
    {
        // 32 non-zero bytes of calldata cost 32 × 16 gas (EIP-2028).
        Assert.True(GasLimits.WithMargin(0, ulong.MaxValue) >= 32 * 16);
    }

    [Fact]
    public void Refusal_OfAnEstimateRevertingWithReceiverRestricted_NamesTheErrorItsArgumentsAndTheFix()
    {
        var error = new JsonRpcException("eth_estimateGas", 3, "execution reverted", "\"0x221dd86f00000000000000000000000090f79bf6eb2c4f870365e785982e1f101e93b9060000000000000000000000000000000000000000000000000000000000000001\"");

        string message = GasLimits.Refusal("forced transfer 40", error);

        Assert.Equal(
            "The forced transfer 40 would revert on chain with ReceiverRestricted(0x90F79bf6EB2c4f870365E785982E1f101E93b906, 1); nothing was planned or sent. " +
            "0x90F79bf6EB2c4f870365E785982E1f101E93b906 fails the token's rule for key 1 (e.g. it is not KYC-whitelisted); add it to the KYC registry first.",
            message);
    }

    [Fact]
    public void Refusal_WithoutRevertData_QuotesTheNodesMessage()
    {
        var error = new JsonRpcException("eth_estimateGas", -32000, "insufficient funds for transfer", null);

        Assert.Equal("The node refused to estimate the payment: insufficient funds for transfer; nothing was planned or sent.", GasLimits.Refusal("payment", error));
    }
}
