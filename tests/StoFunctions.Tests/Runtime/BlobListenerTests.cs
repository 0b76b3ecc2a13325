using System.Text.Json;
using Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using StoFunctions.Runtime;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Runtime;

public sealed class BlobListenerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    private static async Task<BlobContainerClient> NewContainerAsync()
    {
        var container = StorageAccount.FromConnectionString(await AzuriteProcess.SharedAsync()).Blobs.GetBlobContainerClient(TriggerTestHost.NewName("rtb"));
        await container.CreateIfNotExistsAsync();
        return container;
    }

    private static Task<IHost> StartAsync(string hostId, string instance, string container, BlobProbe probe) =>
        TriggerTestHost.StartAsync(hostId, s => s
            .AddSingleton(probe)
            .AddSingleton(new ProbeHostName(instance))
            .AddBlobFunction<ProbeBlobFunction>(container, o => o.Exclude = name => name.EndsWith(".result.json", StringComparison.Ordinal)));

    private static async Task<ETag> UploadAsync(BlobContainerClient container, string name, string content) =>
        BlobListener.Version((await container.GetBlobClient(name).UploadAsync(BinaryData.FromString(content), overwrite: true)).Value.ETag);

    [Fact]
    public async Task A_blob_fires_once_per_version_again_when_overwritten_and_never_for_excluded_names()
    {
        BlobContainerClient container = await NewContainerAsync();
        var probe = new BlobProbe();
        using IHost host = await StartAsync(TriggerTestHost.NewName("h"), "a", container.Name, probe);

        ETag first = await UploadAsync(container, "tok/dist one.csv", "v1");
        await UploadAsync(container, "tok/dist one.result.json", "{}");
        await TriggerTestHost.EventuallyAsync(() => probe.Calls.Count == 1, s_timeout, "first version handled");
        await Task.Delay(1500);
        ETag second = await UploadAsync(container, "tok/dist one.csv", "v2");
        await TriggerTestHost.EventuallyAsync(() => probe.Calls.Count == 2, s_timeout, "second version handled");
        await Task.Delay(1500);
        await host.StopAsync();

        Assert.NotEqual(first, second);
        Assert.Equal(
            [("a", "tok/dist one.csv", first.ToString(), "v1", 0), ("a", "tok/dist one.csv", second.ToString(), "v2", 0)],
            probe.Calls.ToArray());
    }

    [Fact]
    public async Task Two_instances_on_one_storage_run_each_version_exactly_once()
    {
        BlobContainerClient container = await NewContainerAsync();
        string hostId = TriggerTestHost.NewName("h");
        var probe = new BlobProbe { Behavior = (_, ct) => Task.Delay(200, ct) };
        using IHost one = await StartAsync(hostId, "one", container.Name, probe);
        using IHost two = await StartAsync(hostId, "two", container.Name, probe);

        var uploaded = new List<(string, string)>();
        for (int i = 0; i < 12; i++)
        {
            uploaded.Add(($"b{i:D2}.csv", (await UploadAsync(container, $"b{i:D2}.csv", $"content {i}")).ToString()));
        }

        await TriggerTestHost.EventuallyAsync(() => probe.Calls.Count >= 12, s_timeout, "12 blobs handled");
        await Task.Delay(2000);
        await Task.WhenAll(one.StopAsync(), two.StopAsync());

        Assert.Equal(12, probe.Calls.Count);
        Assert.Equal(uploaded.Order(), probe.Calls.Select(c => (c.Name, c.ETag)).Order());
    }

    [Fact]
    public async Task After_a_restart_handled_versions_do_not_fire_again_and_new_ones_do()
    {
        BlobContainerClient container = await NewContainerAsync();
        string hostId = TriggerTestHost.NewName("h");
        var probe = new BlobProbe();
        ETag old = await UploadAsync(container, "old.csv", "old");
        using (IHost first = await StartAsync(hostId, "first", container.Name, probe))
        {
            await TriggerTestHost.EventuallyAsync(() => probe.Calls.Count == 1, s_timeout, "old blob handled");
            await first.StopAsync();
        }

        using IHost second = await StartAsync(hostId, "second", container.Name, probe);
        await Task.Delay(1500);
        ETag fresh = await UploadAsync(container, "new.csv", "new");
        await TriggerTestHost.EventuallyAsync(() => probe.Calls.Count == 2, s_timeout, "new blob handled");
        await Task.Delay(1000);
        await second.StopAsync();

        Assert.Equal([("first", "old.csv", old.ToString()), ("second", "new.csv", fresh.ToString())], probe.Calls.Select(c => (c.Host, c.Name, c.ETag)));
    }

    [Fact]
    public async Task A_version_failing_poisonBlobThreshold_times_is_reported_to_the_poison_queue_and_not_retried()
    {
        BlobContainerClient container = await NewContainerAsync();
        string hostId = TriggerTestHost.NewName("h");
        var probe = new BlobProbe { Behavior = (_, _) => throw new InvalidDataException("bad CSV") };
        string connection = await AzuriteProcess.SharedAsync();
        var poison = StorageAccount.FromConnectionString(connection).Queues.GetQueueClient(BlobListener.PoisonQueueName);
        await poison.CreateIfNotExistsAsync();
        using IHost host = await StartAsync(hostId, "a", container.Name, probe);
        ETag etag = await UploadAsync(container, "broken.csv", "x");

        await TriggerTestHost.EventuallyAsync(() => probe.Calls.Count == 5, s_timeout, "5 attempts");
        await Task.Delay(1500);
        await host.StopAsync();

        Assert.Equal([0, 1, 2, 3, 4], probe.Calls.Select(c => c.FailureCount));
        // The poison queue is shared by every app on the account (Functions' name), so find our record.
        bool found = false;
        for (int attempt = 0; attempt < 50 && !found; attempt++)
        {
            foreach (QueueMessage message in (await poison.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value)
            {
                using JsonDocument record = JsonDocument.Parse(message.Body.ToString());
                if (record.RootElement.GetProperty("ContainerName").GetString() == container.Name)
                {
                    Assert.Equal("BlobTrigger", record.RootElement.GetProperty("Type").GetString());
                    Assert.Equal("broken.csv", record.RootElement.GetProperty("BlobName").GetString());
                    Assert.Equal(etag.ToString(), record.RootElement.GetProperty("ETag").GetString());
                    Assert.Equal(hostId + "." + nameof(ProbeBlobFunction), record.RootElement.GetProperty("FunctionId").GetString());
                    found = true;
                }
            }

            if (!found)
            {
                await Task.Delay(100);
            }
        }

        Assert.True(found, "no poison record for the container");
    }
}
