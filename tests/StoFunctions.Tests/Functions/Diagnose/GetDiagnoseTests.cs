using System.Diagnostics;
using System.Net;
using System.Text.Json;
using StoFunctions.Testing;
using StoFunctions.Tests.EndToEnd;

namespace StoFunctions.Tests.Functions.Diagnose;

/// <summary>Issue 21 item 3: <c>GET /api/diagnose</c> against a node that stops answering (fault proxy freeze).</summary>
public sealed class GetDiagnoseTests(PrivateChain chain) : IClassFixture<PrivateChain>
{
    [Fact]
    public async Task FrozenNode_DiagnoseAnswersWithinBound_NodeNotAnswering_ThenReachableAgainAfterThaw()
    {
        await using RpcFaultProxy proxy = await RpcFaultProxy.StartAsync(chain.Anvil.RpcUrl);
        PlatformApp app = PlatformApp.Attach(chain.Azurite, chain.Anvil, new Dictionary<string, string?> { ["Ethereum:RpcUrl"] = proxy.Url.ToString() });
        try
        {
            (HttpStatusCode okStatus, JsonElement ok) = await DiagnoseAsync(app);
            Assert.Equal(HttpStatusCode.OK, okStatus);
            Assert.True(ok.GetProperty("nodeReachable").GetBoolean());

            proxy.Freeze();
            var elapsed = Stopwatch.StartNew();
            (HttpStatusCode frozenStatus, JsonElement frozen) = await DiagnoseAsync(app);
            elapsed.Stop();

            // The diagnosis gives the node 5 s; the old one waited for the RPC client's 30 s timeout and its retries.
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(25), $"diagnose took {elapsed.Elapsed} against a frozen node");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, frozenStatus);
            Assert.False(frozen.GetProperty("nodeReachable").GetBoolean());
            Assert.Contains("not answering", frozen.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal(AnvilAccounts.Addresses[0], frozen.GetProperty("signer").GetString(), ignoreCase: true);

            proxy.Thaw();
            (HttpStatusCode againStatus, JsonElement again) = await DiagnoseAsync(app);
            Assert.Equal(HttpStatusCode.OK, againStatus);
            Assert.True(again.GetProperty("nodeReachable").GetBoolean());
        }
        finally
        {
            proxy.Thaw();
            await app.DisposeAsync();
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> DiagnoseAsync(PlatformApp app)
    {
        using HttpResponseMessage response = await app.Client.GetAsync("/api/diagnose");
        string text = await response.Content.ReadAsStringAsync();
        using JsonDocument document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }
}
