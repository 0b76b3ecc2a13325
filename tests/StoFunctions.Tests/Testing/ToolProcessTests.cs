using StoFunctions.Testing;

namespace StoFunctions.Tests.Testing;

public sealed class ToolProcessTests
{
    [Fact]
    public async Task Anvil_starts_on_a_free_port_and_reports_its_chain_id()
    {
        await using AnvilProcess anvil = await AnvilProcess.StartAsync(chainId: 31337);
        var id = await anvil.RpcAsync("eth_chainId");
        Assert.Equal("0x7a69", id.GetString());
    }

    [Fact]
    public async Task Azurite_starts_and_accepts_connections()
    {
        await using AzuriteProcess azurite = await AzuriteProcess.StartAsync();
        Assert.Contains("TableEndpoint=http://127.0.0.1:", azurite.ConnectionString, StringComparison.Ordinal);
    }
}
