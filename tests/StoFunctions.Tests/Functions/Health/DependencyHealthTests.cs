using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Azure.Data.Tables;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Health;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Functions.Health;

/// <summary>The dependency checks of <c>/api/health</c> against real Azurite and anvil, and against ports that refuse or never answer.</summary>
public sealed class DependencyHealthTests
{
    // DependencyHealth.Timeout is 3 s; anything near this bound would be a hang.
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Storage_and_chain_that_answer_are_Healthy_with_each_storage_service_and_the_chain_head()
    {
        await using AnvilProcess anvil = await AnvilProcess.StartAsync();
        string storage = await AzuriteProcess.SharedAsync();
        IReadOnlyDictionary<string, DependencyStatus> result = await CheckAsync(storage, anvil.RpcUrl, "31337");

        Assert.Equal(["blobs", "queues", "tables"], result["storage"].Services!.Keys.Order());
        Assert.All(result["storage"].Services!.Values, AssertAnswered);
        Assert.Equal(DependencyHealth.Worst(result["storage"].Services!.Values.Select(s => s.Status)), result["storage"].Status);
        AssertAnswered(result["chain"]);
        Assert.Equal(31337UL, result["chain"].ChainId);
        Assert.Equal(await new JsonRpcClient(anvil.RpcUrl).GetBlockNumberAsync(), result["chain"].BlockNumber);
        Assert.NotNull(result["chain"].HeadAgeSeconds);
    }

    [Fact]
    public async Task Storage_and_node_ports_that_refuse_connections_are_Unhealthy_within_the_bound_and_name_no_address_or_key()
    {
        int closed = FreePort.Next();
        string storage = AzuriteProcess.ConnectionStringFor(closed, closed, closed);
        var clock = Stopwatch.StartNew();
        IReadOnlyDictionary<string, DependencyStatus> result = await CheckAsync(storage, new Uri($"http://127.0.0.1:{closed}"), "31337");

        Assert.True(clock.Elapsed < s_bound, $"the checks took {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(HealthStatus.Unhealthy, result["storage"].Status);
        Assert.All(result["storage"].Services!.Values, s => Assert.Equal(HealthStatus.Unhealthy, s.Status));
        Assert.Equal(HealthStatus.Unhealthy, result["chain"].Status);
        Assert.Equal(HealthStatus.Unhealthy, DependencyHealth.Worst(result.Values.Select(d => d.Status)));
        string json = JsonSerializer.Serialize(result);
        foreach (string secret in (string[])["127.0.0.1", closed.ToString(System.Globalization.CultureInfo.InvariantCulture), AzuriteProcess.AccountName, AzuriteProcess.AccountKey])
        {
            Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_node_that_accepts_connections_but_never_answers_is_Unhealthy_after_the_timeout_not_a_hang()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(backlog: 64);
        var accepted = new List<TcpClient>();
        using var stop = new CancellationTokenSource();
        Task accepting = Task.Run(async () =>
        {
            // Accept and hold every connection without reading or answering: a frozen node.
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    accepted.Add(await silent.AcceptTcpClientAsync(stop.Token));
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var clock = Stopwatch.StartNew();
        IReadOnlyDictionary<string, DependencyStatus> result = await CheckAsync(null, new Uri($"http://127.0.0.1:{port}"), null);
        TimeSpan took = clock.Elapsed;
        await stop.CancelAsync();
        await accepting;
        accepted.ForEach(c => c.Dispose());

        Assert.True(took < s_bound, $"the chain check took {took.TotalSeconds:F1} s");
        Assert.True(took >= DependencyHealth.Timeout - TimeSpan.FromMilliseconds(200), $"the chain check gave up after {took.TotalSeconds:F1} s, before its timeout");
        Assert.Equal(HealthStatus.Unhealthy, result["chain"].Status);
        Assert.Equal($"no answer within {DependencyHealth.Timeout.TotalSeconds:F0} s", result["chain"].Detail);
        Assert.False(result.ContainsKey("storage"));
    }

    [Fact]
    public async Task A_node_of_another_chain_than_the_configured_chain_id_is_Unhealthy()
    {
        await using AnvilProcess anvil = await AnvilProcess.StartAsync(chainId: 1337);
        IReadOnlyDictionary<string, DependencyStatus> result = await CheckAsync(null, anvil.RpcUrl, "31337");

        Assert.Equal(HealthStatus.Unhealthy, result["chain"].Status);
        Assert.Equal("the node is chain 1337 but Ethereum:ChainId is 31337", result["chain"].Detail);
        Assert.Equal(1337UL, result["chain"].ChainId);
    }

    // Healthy, or Degraded only for having answered after DependencyHealth.SlowAfter: on a machine that another test
    // suite keeps busy a dependency that answers can answer slowly, and Degraded is then the right report.
    private static void AssertAnswered(DependencyStatus status)
    {
        if (status.Status == HealthStatus.Degraded)
        {
            Assert.True(status.DurationMs > DependencyHealth.SlowAfter.TotalMilliseconds, $"Degraded after {status.DurationMs} ms: {status.Detail}");
            Assert.StartsWith("answered in ", status.Detail, StringComparison.Ordinal);
            return;
        }

        Assert.Equal(HealthStatus.Healthy, status.Status);
    }

    private static async Task<IReadOnlyDictionary<string, DependencyStatus>> CheckAsync(string? storage, Uri? rpcUrl, string? chainId)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage,
            ["Ethereum:RpcUrl"] = rpcUrl?.ToString(),
            ["Ethereum:ChainId"] = chainId,
        }).Build();
        var services = new ServiceCollection();
        if (storage is not null)
        {
            services.AddSingleton(StorageAccount.FromConnectionString(storage).Tables);
            services.AddSingleton(StorageAccount.FromConnectionString(storage).Blobs);
            services.AddSingleton(StorageAccount.FromConnectionString(storage).Queues);
        }

        if (rpcUrl is not null)
        {
            services.AddSingleton(new JsonRpcClient(rpcUrl));
        }

        await using ServiceProvider provider = services.BuildServiceProvider();
        return await new DependencyHealth(provider, configuration).CheckAsync();
    }
}
