using System.Diagnostics;
using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Azure.Data.Tables;
using StoFunctions.Composition;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Outages;
using StoFunctions.Pipeline.Signers;

namespace StoFunctions.Functions.Health;

/// <summary>
/// Checks the app's dependencies for <c>GET /api/health</c>: storage (a read on each of tables, blobs and queues;
/// "not found" is an answer) when <c>AzureWebJobsStorage</c> is set, and the chain (<c>eth_chainId</c>,
/// <c>eth_blockNumber</c> and the head block in one batch) when <c>Ethereum:RpcUrl</c> is set. Every check is
/// bounded by <see cref="Timeout"/>, so health answers even when a dependency hangs. Checks run in parallel; the
/// result is shared by concurrent requests and kept for <see cref="CacheFor"/>, so an anonymous caller cannot
/// multiply the load on storage or the node.
/// </summary>
public sealed class DependencyHealth
{
    /// <summary>The longest a check may take; a dependency that has not answered by then is Unhealthy.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>A dependency that answers slower than this is Degraded.</summary>
    public static readonly TimeSpan SlowAfter = TimeSpan.FromSeconds(1);

    /// <summary>On a non-development chain, a head older than this is Degraded (the node is not syncing).</summary>
    public static readonly TimeSpan StaleHeadAfter = TimeSpan.FromMinutes(10);

    /// <summary>How long a result is reused.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    private readonly IServiceProvider _services;
    private readonly IConfiguration _configuration;
    private readonly Lock _gate = new();
    private Task<IReadOnlyDictionary<string, DependencyStatus>>? _current;
    private long _startedAt;

    /// <summary>Creates the checks; clients are taken from <paramref name="services"/> on first use.</summary>
    public DependencyHealth(IServiceProvider services, IConfiguration configuration)
    {
        _services = services;
        _configuration = configuration;
    }

    /// <summary>The worst of <paramref name="statuses"/> (Healthy when there are none).</summary>
    public static string Worst(IEnumerable<string> statuses) =>
        statuses.OrderByDescending(Rank).FirstOrDefault() ?? HealthStatus.Healthy;

    /// <summary>Each configured dependency's status, at most <see cref="CacheFor"/> old.</summary>
    public Task<IReadOnlyDictionary<string, DependencyStatus>> CheckAsync()
    {
        lock (_gate)
        {
            if (_current is null || (_current.IsCompleted && Stopwatch.GetElapsedTime(_startedAt) > CacheFor))
            {
                _startedAt = Stopwatch.GetTimestamp();
                // Not tied to one request's abort: other requests share it, and it ends within Timeout anyway.
                _current = Task.Run(CheckAllAsync);
            }

            return _current;
        }
    }

    private async Task<IReadOnlyDictionary<string, DependencyStatus>> CheckAllAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var checks = new List<(string Name, Task<DependencyStatus> Check)>();
        if (!string.IsNullOrWhiteSpace(_configuration["AzureWebJobsStorage"]))
        {
            checks.Add(("storage", GuardAsync(CheckStorageAsync, timeout.Token)));
        }

        if (!string.IsNullOrWhiteSpace(_configuration["Ethereum:RpcUrl"]))
        {
            checks.Add(("chain", GuardAsync(CheckChainAsync, timeout.Token)));
        }

        var result = new Dictionary<string, DependencyStatus>(StringComparer.Ordinal);
        foreach ((string name, Task<DependencyStatus> check) in checks)
        {
            result[name] = await check.ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>A check that throws (a client that cannot be created from the settings) reports Unhealthy instead of failing health.</summary>
    private static async Task<DependencyStatus> GuardAsync(Func<CancellationToken, Task<DependencyStatus>> check, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            return await check(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return new DependencyStatus(HealthStatus.Unhealthy, Milliseconds(started)) { Detail = Failure(e, cancellationToken) };
        }
    }

    private async Task<DependencyStatus> CheckStorageAsync(CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        TableServiceClient? tables = _services.GetService<TableServiceClient>();
        BlobServiceClient? blobs = _services.GetService<BlobServiceClient>();
        QueueServiceClient? queues = _services.GetService<QueueServiceClient>();
        var probes = new List<(string Name, Task<DependencyStatus> Probe)>();
        if (tables is not null)
        {
            probes.Add(("tables", ProbeAsync(async ct => await tables.GetTableClient(Platform.CommandsTable).GetEntityIfExistsAsync<TableEntity>("health", "probe", cancellationToken: ct).ConfigureAwait(false), cancellationToken)));
        }

        if (blobs is not null)
        {
            probes.Add(("blobs", ProbeAsync(async ct => await blobs.GetBlobContainerClient(Platform.LeasesContainer).GetBlobClient("health-probe").GetPropertiesAsync(cancellationToken: ct).ConfigureAwait(false), cancellationToken)));
        }

        if (queues is not null)
        {
            probes.Add(("queues", ProbeAsync(async ct => await queues.GetQueueClient(Platform.CommandsQueue).GetPropertiesAsync(ct).ConfigureAwait(false), cancellationToken)));
        }

        var services = new Dictionary<string, DependencyStatus>(StringComparer.Ordinal);
        foreach ((string name, Task<DependencyStatus> probe) in probes)
        {
            services[name] = await probe.ConfigureAwait(false);
        }

        string status = Worst(services.Values.Select(s => s.Status));
        string? detail = status == HealthStatus.Healthy ? null
            : string.Join("; ", services.Where(p => p.Value.Status != HealthStatus.Healthy).Select(p => $"{p.Key}: {p.Value.Detail}"));
        return new DependencyStatus(status, Milliseconds(started)) { Detail = detail, Services = services };
    }

    private static async Task<DependencyStatus> ProbeAsync(Func<CancellationToken, Task> read, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            await read(cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409)
        {
            // The service answered; a missing table, container or queue is created again by the loop that needs it.
        }
        catch (Exception e)
        {
            return new DependencyStatus(HealthStatus.Unhealthy, Milliseconds(started)) { Detail = Failure(e, cancellationToken) };
        }

        return Timed(started, null);
    }

    private async Task<DependencyStatus> CheckChainAsync(CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            JsonRpcClient rpc = _services.GetRequiredService<JsonRpcClient>();
            JsonRpcBatch batch = rpc.CreateBatch();
            Task<ulong> chainId = batch.Add<ulong>("eth_chainId");
            Task<ulong> number = batch.Add<ulong>("eth_blockNumber");
            Task<BlockHeader?> head = batch.Add<BlockHeader>("eth_getBlockByNumber", BlockParameter.Latest, false);
            await batch.SendAsync(cancellationToken).ConfigureAwait(false);
            ulong id = await chainId.ConfigureAwait(false);
            ulong block = await number.ConfigureAwait(false);
            BlockHeader? latest = await head.ConfigureAwait(false);
            long? age = latest is null ? null : DateTimeOffset.UtcNow.ToUnixTimeSeconds() - (long)latest.Timestamp;
            string? problem = null;
            if (_configuration["Ethereum:ChainId"] is { Length: > 0 } configured && configured != id.ToString(CultureInfo.InvariantCulture))
            {
                return new DependencyStatus(HealthStatus.Unhealthy, Milliseconds(started))
                {
                    Detail = $"the node is chain {id} but Ethereum:ChainId is {configured}",
                    ChainId = id,
                    BlockNumber = block,
                    HeadAgeSeconds = age,
                };
            }

            // Development chains mine only when there is something to mine, so an old head says nothing there.
            if (age is long seconds && seconds > StaleHeadAfter.TotalSeconds && !LocalKeySigner.DevChainIds.Contains((long)id))
            {
                problem = $"the head block is {seconds} s old";
            }

            return Timed(started, problem) with { ChainId = id, BlockNumber = block, HeadAgeSeconds = age };
        }
        catch (Exception e)
        {
            return new DependencyStatus(HealthStatus.Unhealthy, Milliseconds(started)) { Detail = Failure(e, cancellationToken) };
        }
    }

    private static DependencyStatus Timed(long started, string? problem)
    {
        TimeSpan took = Stopwatch.GetElapsedTime(started);
        if (problem is null && took > SlowAfter)
        {
            problem = $"answered in {took.TotalMilliseconds:F0} ms";
        }

        return new DependencyStatus(problem is null ? HealthStatus.Healthy : HealthStatus.Degraded, (long)took.TotalMilliseconds) { Detail = problem };
    }

    private static string Failure(Exception e, CancellationToken timedOut) =>
        timedOut.IsCancellationRequested ? $"no answer within {Timeout.TotalSeconds:F0} s" : DependencyFailure.Describe(e);

    private static long Milliseconds(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    private static int Rank(string status) => status switch
    {
        HealthStatus.Unhealthy => 2,
        HealthStatus.Degraded => 1,
        _ => 0,
    };
}
