using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Keys;
using StoFunctions.Azure.KeyVault;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Tests.Lanes;
using StoFunctions.Testing.KeyVault;

namespace StoFunctions.Pipeline.Tests.Signers;

/// <summary>S18/S19: the lane signing through the test Key Vault (429 with Retry-After, high-S, short r/s, lost responses).</summary>
public sealed class KeyVaultLaneTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    [Fact]
    public async Task S18_S19_KeyVaultThrottlesAndReturnsHighSAndShortRs_AllIntentsConfirmed_NoGaps()
    {
        await using TestKeyVaultServer vault = await TestKeyVaultServer.StartAsync();
        vault.CreateKey("lane");
        var options = new KeyClientOptions
        {
            Transport = new HttpClientTransport(vault.CreateHttpHandler()),
            Retry = { Delay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromSeconds(3), MaxRetries = 5 },
        };
        KeyVaultEthereumSigner signer = await KeyVaultEthereumSigner.CreateAsync(new KeyClient(vault.VaultUri, new StaticToken(), options), "lane");
        await fixture.Anvil.RpcAsync("anvil_setBalance", signer.Address.ToString(), "0x56BC75E2D63100000");
        vault.Knobs.HighS = true;
        vault.Knobs.ShortRsEvery = 5;
        vault.Knobs.ThrottleEvery = 7;
        vault.Knobs.DropSignResponseEvery = 11;

        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, 1, signer: signer);
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 30).Select(i => $"kv-{i}")];
        string id = await rig.NewCommandService().SubmitAsync(PipelineRig.ExecCommand(oracle, ids, "kv"));

        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), TimeSpan.FromSeconds(40));

        Assert.Equal(CommandRuntimeStatus.Completed, (await rig.StatusAsync(id)).RuntimeStatus);
        Assert.True(vault.ThrottledRequests >= 2 && vault.DroppedResponses >= 1, $"throttled {vault.ThrottledRequests}, dropped {vault.DroppedResponses}");
        Assert.All((await rig.Ledger.GetAttemptsAsync(rig.Lane, 0)).Values, list => Assert.Single(list));
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    private sealed class StaticToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("test-token", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
