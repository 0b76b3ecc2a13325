using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Microsoft.Extensions.Options;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Outages;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Functions.Scanning;

/// <summary>
/// The scanner's asynchronous commands (design/api.md "Commands are asynchronous"): <c>scan</c>, <c>identities</c>
/// and <c>watch</c> answer 202 with <c>Location: /api/commands/{id}</c>, and the status has the command shape.
/// They plan no transactions, so they live in their own table rather than the ledger's command service; their ids
/// start with <c>scan</c>, which no ledger command id does (those are hex), and GET /api/commands/{id} hands them here.
/// A scan runs in the background; a job interrupted by a restart is resumed at the next start (the scan itself
/// resumes from its cursor). Identities and watch are single table writes, so they complete before the 202.
/// </summary>
public sealed class ScanJobs(TokenScanner scanner, TableServiceClient tables, IOptions<ScannerOptions> options, IHostApplicationLifetime lifetime, ILogger<ScanJobs> logger)
    : IHostedService
{
    /// <summary>Prefix of every scanner command id.</summary>
    public const string IdPrefix = "scan";

    /// <summary>True for a scanner command id: <see cref="IdPrefix"/> + 32 hex digits (any case, as the route constraint it replaces matched).</summary>
    public static bool IsScanId(string id) =>
        id.Length == IdPrefix.Length + 32 && id.StartsWith(IdPrefix, StringComparison.OrdinalIgnoreCase) && !id.AsSpan(IdPrefix.Length).ContainsAnyExcept("0123456789abcdefABCDEF");

    private const string JobRow = "job";
    private readonly TableClient _jobs = tables.GetTableClient(options.Value.TablePrefix + "scanjobs");
    private readonly ConcurrentDictionary<string, Task> _running = new();
    private int _created;

    /// <summary>A submitted job: its id and whether the idempotency key belonged to a different body.</summary>
    /// <param name="Id">The command id.</param>
    /// <param name="Conflict">True when the key was used with a different body (nothing was done).</param>
    public sealed record Submission(string Id, bool Conflict);

    /// <summary>Accepts a scan of <paramref name="token"/> and starts it in the background.</summary>
    public Task<Submission> SubmitScanAsync(Address token, ScanRequest body, string? idempotencyKey, CancellationToken cancellationToken) =>
        SubmitAsync("scan", idempotencyKey, ScanInputJson(token, body), background: true, cancellationToken);

    /// <summary>Accepts a command that is done by <paramref name="work"/> before this returns (a single table write).</summary>
    public Task<Submission> SubmitDoneAsync(string name, string? idempotencyKey, JsonObject input, Func<CancellationToken, Task<object>> work, CancellationToken cancellationToken) =>
        SubmitAsync(name, idempotencyKey, input, background: false, cancellationToken, work);

    /// <summary>Waits up to <paramref name="timeout"/> for job <paramref name="id"/> to finish in this process.</summary>
    public async Task WaitAsync(string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_running.TryGetValue(id, out Task? task))
        {
            await Task.WhenAny(task, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>Every job row matching the OData <paramref name="filter"/> (for <c>GET /api/commands</c>); none when the table does not exist yet.</summary>
    public async Task<List<TableEntity>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<TableEntity>();
        try
        {
            await foreach (TableEntity e in _jobs.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                rows.Add(e);
            }
        }
        catch (RequestFailedException ex)
        {
            ForgetTableIfMissing(ex);
            throw;
        }

        return rows;
    }

    /// <summary>The status of job <paramref name="id"/> in the shape of <c>GET /api/commands/{id}</c>, or null.</summary>
    public async Task<JsonObject?> GetStatusAsync(string id, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        NullableResponse<TableEntity> row;
        try
        {
            row = await _jobs.GetEntityIfExistsAsync<TableEntity>(id, JobRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            ForgetTableIfMissing(ex);
            throw;
        }

        if (!row.HasValue)
        {
            return null;
        }

        TableEntity e = row.Value!;
        DateTimeOffset created = e.GetDateTimeOffset("CreatedTime") ?? DateTimeOffset.UnixEpoch;
        return new JsonObject
        {
            ["id"] = id,
            ["name"] = e.GetString("Name"),
            ["runtimeStatus"] = e.GetString("RuntimeStatus"),
            ["input"] = JsonNode.Parse(e.GetString("Input") ?? "{}"),
            ["customStatus"] = null,
            ["output"] = e.GetString("Output") is { } output ? JsonNode.Parse(output) : null,
            ["error"] = e.GetString("Error"),
            ["createdTime"] = created,
            ["lastUpdatedTime"] = e.Timestamp ?? created,
        };
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Not awaited: storage may be unreachable at start, and serving must not wait for old jobs.
        _ = Task.Run(() => ResumeAsync(lifetime.ApplicationStopping), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // ApplicationStopping has cancelled the scans; a cancelled job stays Running and resumes at the next start.
        await Task.WhenAny(Task.WhenAll(_running.Values), Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
    }

    private async Task<Submission> SubmitAsync(string name, string? key, JsonObject input, bool background, CancellationToken cancellationToken, Func<CancellationToken, Task<object>>? work = null, bool tableRecreated = false)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        string inputJson = input.ToJsonString();
        string id = IdPrefix + (key is null ? Guid.NewGuid().ToString("N") : Sha256Hex(key)[..32]);
        string fingerprint = Sha256Hex(name + "\n" + inputJson);
        var row = new TableEntity(id, JobRow)
        {
            ["Name"] = name,
            ["Fingerprint"] = fingerprint,
            ["Input"] = inputJson,
            ["RuntimeStatus"] = "Pending",
            ["CreatedTime"] = DateTimeOffset.UtcNow,
        };
        try
        {
            await _jobs.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (!tableRecreated && DependencyFailure.IsMissingResource(ex))
        {
            // The jobs table was deleted while the app ran: create it again and submit once more.
            ForgetTableIfMissing(ex);
            return await SubmitAsync(name, key, input, background, cancellationToken, work, tableRecreated: true).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            TableEntity existing = (await _jobs.GetEntityAsync<TableEntity>(id, JobRow, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return new Submission(id, existing.GetString("Fingerprint") != fingerprint);
        }

        if (background)
        {
            Start(id, input);
        }
        else
        {
            await RunAsync(id, work!, cancellationToken).ConfigureAwait(false);
        }

        return new Submission(id, false);
    }

    private void Start(string id, JsonObject input)
    {
        Address token = Address.Parse(input["token"]!.GetValue<string>());
        ulong? from = input["fromBlock"]?.GetValue<ulong>();
        ulong? to = input["toBlock"]?.GetValue<ulong>();
        _running[id] = Task.Run(async () =>
        {
            try
            {
                await RunAsync(id, async ct => Output(await scanner.ScanAsync(token, from, to, ct).ConfigureAwait(false)), lifetime.ApplicationStopping).ConfigureAwait(false);
            }
            finally
            {
                _running.TryRemove(id, out _);
            }
        });
    }

    private async Task RunAsync(string id, Func<CancellationToken, Task<object>> work, CancellationToken cancellationToken)
    {
        try
        {
            await SetAsync(id, "Running", null, null, cancellationToken).ConfigureAwait(false);
            object output = await work(cancellationToken).ConfigureAwait(false);
            await SetAsync(id, "Completed", JsonSerializer.Serialize(output, ScanInput.Json), null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the job stays Running and ResumeAsync picks it up at the next start.
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Any other failure ends the command (a stuck Running would never be retried); the cursor keeps progress.
            logger.ScanJobFailed(ex, id);
            await SetAsync(id, "Failed", null, ex.Message, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        // Storage may be unreachable at start (Azurite still starting, an outage): retry until the list is read.
        var outage = new OutageBackoff("Resuming interrupted scanner commands", logger, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
                string filter = TableClient.CreateQueryFilter($"Name eq {"scan"} and (RuntimeStatus eq {"Pending"} or RuntimeStatus eq {"Running"})");
                await foreach (TableEntity e in _jobs.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    if (!_running.ContainsKey(e.PartitionKey) && JsonNode.Parse(e.GetString("Input") ?? "{}") is JsonObject input)
                    {
                        logger.ScanJobResumed(e.PartitionKey);
                        Start(e.PartitionKey, input);
                    }
                }

                outage.Succeeded();
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                ForgetTableIfMissing(ex);
                TimeSpan delay = outage.Failed(ex);
                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>A jobs table deleted while the app ran is created again by the next <see cref="EnsureTableAsync"/>.</summary>
    private void ForgetTableIfMissing(Exception failure)
    {
        if (DependencyFailure.IsMissingResource(failure))
        {
            Volatile.Write(ref _created, 0);
        }
    }

    private Task SetAsync(string id, string status, string? output, string? error, CancellationToken cancellationToken)
    {
        var update = new TableEntity(id, JobRow) { ["RuntimeStatus"] = status };
        if (output is not null)
        {
            update["Output"] = output;
        }

        if (error is not null)
        {
            update["Error"] = error;
        }

        return _jobs.UpdateEntityAsync(update, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await _jobs.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _created, 1);
        }
    }

    private static JsonObject ScanInputJson(Address token, ScanRequest body)
    {
        var input = new JsonObject { ["token"] = token.ToString() };
        if (body.FromBlock is { } from)
        {
            input["fromBlock"] = from;
        }

        if (body.ToBlock is { } to)
        {
            input["toBlock"] = to;
        }

        return input;
    }

    private static object Output(ScanResult result) => new
    {
        token = result.Token.ToString(),
        result.FromBlock,
        result.LastBlock,
        result.Events,
        result.Ranges,
        result.RolledBackTo,
    };

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
