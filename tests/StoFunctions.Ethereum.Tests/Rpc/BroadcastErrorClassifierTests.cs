using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Ethereum.Tests.Rpc;

/// <summary>The classification table against the wordings of geth, Nethermind and providers (anvil's own answers are
/// captured live in Integration/BroadcastErrorProbeTests).</summary>
public sealed class BroadcastErrorClassifierTests
{
    [Theory]
    [InlineData("already known", BroadcastErrorKind.AlreadyKnown)]
    [InlineData("known transaction: 0x1234", BroadcastErrorKind.AlreadyKnown)]
    [InlineData("Transaction with the same hash was already imported.", BroadcastErrorKind.AlreadyKnown)]
    [InlineData("ALREADY_EXISTS: already known", BroadcastErrorKind.AlreadyKnown)]
    [InlineData("nonce too low: next nonce 5, tx nonce 4", BroadcastErrorKind.NonceTooLow)]
    [InlineData("OldNonce", BroadcastErrorKind.NonceTooLow)]
    [InlineData("replacement transaction underpriced", BroadcastErrorKind.ReplacementUnderpriced)]
    [InlineData("ReplacementNotAllowed: replacement fee too low", BroadcastErrorKind.ReplacementUnderpriced)]
    [InlineData("transaction underpriced: tip needed 1, tip permitted 0", BroadcastErrorKind.Underpriced)]
    [InlineData("max fee per gas less than block base fee: address 0x.., maxFeePerGas: 1, baseFee: 7", BroadcastErrorKind.Underpriced)]
    [InlineData("FeeTooLow, MaxFeePerGas too low", BroadcastErrorKind.Underpriced)]
    [InlineData("nonce too high", BroadcastErrorKind.NonceTooHigh)]
    [InlineData("insufficient funds for gas * price + value: balance 0, tx cost 21000", BroadcastErrorKind.InsufficientFunds)]
    [InlineData("tx fee (1.02 ether) exceeds the configured cap (1.00 ether)", BroadcastErrorKind.FeeCapExceeded)]
    [InlineData("intrinsic gas too low: gas 2100, minimum needed 21000", BroadcastErrorKind.Fatal)]
    [InlineData("exceeds block gas limit", BroadcastErrorKind.Fatal)]
    [InlineData("invalid sender", BroadcastErrorKind.Fatal)]
    [InlineData("oversized data: transaction size 140000, limit 131072", BroadcastErrorKind.Fatal)]
    [InlineData("max priority fee per gas higher than max fee per gas", BroadcastErrorKind.Fatal)]
    [InlineData("rlp: expected input list for types.LegacyTx", BroadcastErrorKind.Fatal)]
    [InlineData("the moon is made of cheese", BroadcastErrorKind.Unknown)]
    [InlineData("", BroadcastErrorKind.Unknown)]
    public void ClassifyMessage_KnownWordings_MapToTheirAction(string message, BroadcastErrorKind expected)
    {
        Assert.Equal(expected, BroadcastErrorClassifier.ClassifyMessage(message));
        Assert.Equal(expected, BroadcastErrorClassifier.Classify(new JsonRpcException("eth_sendRawTransaction", -32000, message, null)));
    }

    [Fact]
    public void Classify_TransportFailuresAndTimeouts_AreMaybeSent()
    {
        Assert.Equal(BroadcastErrorKind.MaybeSent, BroadcastErrorClassifier.Classify(new JsonRpcTransportException("eth_sendRawTransaction", "HTTP 502", 502, null)));
        Assert.Equal(BroadcastErrorKind.MaybeSent, BroadcastErrorClassifier.Classify(new JsonRpcTimeoutException("eth_sendRawTransaction", TimeSpan.FromSeconds(1), null)));
        Assert.Equal(BroadcastErrorKind.MaybeSent, BroadcastErrorClassifier.Classify(new HttpRequestException("Connection reset by peer")));
        Assert.Equal(BroadcastErrorKind.Unknown, BroadcastErrorClassifier.Classify(new InvalidOperationException("nonce too low")));
    }

    [Fact]
    public void Patterns_SpecificPrecedeGeneral()
    {
        // Each pattern must be reachable: no earlier pattern may be a substring of it.
        var patterns = BroadcastErrorClassifier.Patterns;
        for (int i = 0; i < patterns.Count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                Assert.False(patterns[i].Pattern.Contains(patterns[j].Pattern, StringComparison.OrdinalIgnoreCase), $"'{patterns[i].Pattern}' is shadowed by '{patterns[j].Pattern}'");
            }
        }
    }
}
