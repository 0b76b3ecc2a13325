using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;
using Azure.Data.Tables;
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

    [Fact]
    public async Task Azurite_stopped_with_SIGTERM_and_restarted_on_its_location_keeps_every_acknowledged_write()
    {
        string location = Directory.CreateTempSubdirectory("sto-azurite-sigterm-").FullName;
        try
        {
            await using AzuriteProcess azurite = await AzuriteProcess.StartPersistentAsync(location);
            var table = StorageAccount.FromConnectionString(azurite.ConnectionString).Tables.GetTableClient("acknowledged");
            await table.CreateIfNotExistsAsync();
            var container = StorageAccount.FromConnectionString(azurite.ConnectionString).Blobs.GetBlobContainerClient("acknowledged");
            await container.CreateIfNotExistsAsync();

            // Written right before the stop: a SIGKILL loses such writes (Azurite flushes late); a SIGTERM must not.
            for (int i = 0; i < 200; i++)
            {
                await table.AddEntityAsync(new TableEntity("p", i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)) { ["N"] = i });
            }

            await container.GetBlobClient("last").UploadAsync(BinaryData.FromString("acknowledged"), overwrite: true);
            await azurite.StopAsync();
            Assert.False(azurite.IsRunning);
            await azurite.RestartAsync();

            List<TableEntity> rows = [];
            await foreach (TableEntity row in table.QueryAsync<TableEntity>())
            {
                rows.Add(row);
            }

            Assert.Equal(Enumerable.Range(0, 200), rows.Select(r => r.GetInt32("N")!.Value).Order());
            Assert.Equal("acknowledged", (await container.GetBlobClient("last").DownloadContentAsync()).Value.Content.ToString());
        }
        finally
        {
            Directory.Delete(location, recursive: true);
        }
    }
}
