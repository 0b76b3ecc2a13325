using StoFunctions.Ethereum.Rpc;
using Xunit.Abstractions;

namespace StoFunctions.Ethereum.Tests.Integration;

/// <summary>
/// Captures anvil's exact answers to the broadcast failures the pipeline must survive and pins them, so an anvil upgrade
/// that changes a wording fails here rather than in the pipeline (research/txpipeline.md §7: "capture once by a probe").
/// </summary>
public sealed class BroadcastErrorProbeTests(AnvilFixture anvil, ITestOutputHelper output) : IClassFixture<AnvilFixture>, IDisposable
{
    private readonly JsonRpcClient _client = new(anvil.RpcUrl);

    [Fact]
    public async Task AnvilAnswers_AreCapturedAndClassified()
    {
        var wallet = new DevWallet(_client, 1);
        await anvil.Anvil.RpcAsync("anvil_setAutomine", false);
        Address to = Address.Parse("0x000000000000000000000000000000000000dEaD");
        Eip1559Transaction first = await wallet.Eip1559Async(to, [], UInt256.One, gas: 21_000);

        await wallet.SendAsync(first);

        // The same bytes again.
        await ExpectAsync(wallet, first, "transaction already imported", BroadcastErrorKind.AlreadyKnown);

        // Same nonce, same fees, different content.
        await ExpectAsync(wallet, first with { Value = (UInt256)2UL }, "replacement transaction underpriced", BroadcastErrorKind.ReplacementUnderpriced);

        // Fee cap below the base fee.
        await ExpectAsync(wallet, first with { Nonce = first.Nonce + 1, MaxFeePerGas = UInt256.One, MaxPriorityFeePerGas = UInt256.One }, "max fee per gas less than block base fee", BroadcastErrorKind.Underpriced);

        await anvil.Anvil.RpcAsync("evm_mine");

        // The nonce is now consumed by the mined transaction.
        await ExpectAsync(wallet, first with { Value = (UInt256)3UL, MaxFeePerGas = first.MaxFeePerGas + first.MaxFeePerGas }, "nonce too low", BroadcastErrorKind.NonceTooLow);

        Eip1559Transaction next = first with { Nonce = first.Nonce + 1 };
        await ExpectAsync(wallet, next with { Value = UInt256.Parse("1000000000000000000000000") }, "Insufficient funds for gas * price + value", BroadcastErrorKind.InsufficientFunds);
        await ExpectAsync(wallet, next with { GasLimit = 20_000UL }, "intrinsic gas too low", BroadcastErrorKind.Fatal);
        await ExpectAsync(wallet, next with { ChainId = 5 }, "invalid chain id for signer", BroadcastErrorKind.Fatal);

        JsonRpcException garbage = await Assert.ThrowsAsync<JsonRpcException>(() => _client.SendRawTransactionAsync(new byte[] { 0x02, 0xf8 }));
        output.WriteLine($"undecodable bytes -> {garbage.Code} \"{garbage.RpcMessage}\"");
        Assert.Equal(BroadcastErrorKind.Fatal, BroadcastErrorClassifier.Classify(garbage));

        await anvil.Anvil.RpcAsync("anvil_setAutomine", true);
    }

    [Fact]
    public async Task LegacyBelowBaseFee_IsUnderpriced()
    {
        var wallet = new DevWallet(_client, 2);
        var tx = new LegacyTransaction { ChainId = 31337, Nonce = await wallet.NextNonceAsync(), GasPrice = UInt256.One, GasLimit = 21_000UL, To = wallet.Address };

        JsonRpcException error = await Assert.ThrowsAsync<JsonRpcException>(() => wallet.SendAsync(tx));

        output.WriteLine($"legacy gas price 1 wei -> {error.Code} \"{error.RpcMessage}\"");
        Assert.Equal(BroadcastErrorKind.Underpriced, BroadcastErrorClassifier.Classify(error));
    }

    public void Dispose() => _client.Dispose();

    private async Task ExpectAsync(DevWallet wallet, Transaction tx, string anvilMessage, BroadcastErrorKind kind)
    {
        JsonRpcException error = await Assert.ThrowsAsync<JsonRpcException>(() => wallet.SendAsync(tx));
        output.WriteLine($"{kind,-24} <- {error.Code} \"{error.RpcMessage}\"{(error.DataJson is null ? string.Empty : " data " + error.DataJson)}");

        Assert.IsNotType<JsonRpcTransportException>(error);
        Assert.Equal(anvilMessage, error.RpcMessage);
        Assert.Equal(kind, BroadcastErrorClassifier.Classify(error));
    }
}
