using System.Net;
using System.Text;
using System.Text.Json;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Testing;

public sealed class AppProcessTests
{
    [Fact]
    public async Task KilledApp_RestartsOnTheSamePort_AndStillKnowsCommandsFromTheSameStorage()
    {
        await using AnvilProcess anvil = await AnvilProcess.StartAsync();
        await using AzuriteProcess azurite = await AzuriteProcess.StartAsync();
        await using AppProcess app = await AppProcess.StartAsync(AppProcessOptions.ForPlatform(azurite.ConnectionString, anvil.RpcUrl));

        using HttpResponseMessage accepted = await app.Client.PostAsync(new Uri("/api/kyc-registries", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        string id = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        int firstPid = app.ProcessId;

        await app.KillAsync();
        Assert.False(app.IsRunning);
        Assert.Equal(137, app.ExitCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => app.Client.GetAsync(new Uri("/api/health", UriKind.Relative)));

        await app.StartAsync();
        Assert.NotEqual(firstPid, app.ProcessId);
        Assert.Equal(2, app.Starts);
        using HttpResponseMessage status = await app.Client.GetAsync(new Uri("/api/commands/" + id, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(id, JsonDocument.Parse(await status.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
    }
}
