using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using StoFunctions.Azure.Storage;
using StoFunctions.Runtime;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Runtime;

/// <summary>The trigger runtime inside the real app: settings from the content root's host.json and local.settings.json.</summary>
public sealed class TriggerRuntimeInAppTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sto-runtime-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_queue_function_registered_in_the_app_runs_on_the_storage_named_by_local_settings()
    {
        string connection = await AzuriteProcess.SharedAsync();
        var queue = StorageAccount.FromConnectionString(connection).Queues.GetQueueClient(TriggerTestHost.NewName("rta"));
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("through the app");
        File.WriteAllText(Path.Combine(_dir, "host.json"), """{ "version": "2.0", "extensions": { "queues": { "maxPollingInterval": "00:00:00.500" } } }""");
        File.WriteAllText(Path.Combine(_dir, "local.settings.json"), $$"""{ "IsEncrypted": false, "Values": { "AzureWebJobsStorage": "{{connection}}", "AzureFunctionsWebHost__hostid": "{{TriggerTestHost.NewName("app")}}" } }""");
        var probe = new QueueProbe();

        await using (var app = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseContentRoot(_dir);
            b.ConfigureServices(s => s.AddSingleton(probe).AddQueueFunction<ProbeQueueFunction>(queue.Name));
        }))
        {
            using HttpClient client = app.CreateClient();
            await TriggerTestHost.EventuallyAsync(async () => !probe.Calls.IsEmpty && (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, TimeSpan.FromSeconds(20), "message handled by the app");
        }

        Assert.Equal("through the app", Assert.Single(probe.Calls).BodyText);
    }
}
