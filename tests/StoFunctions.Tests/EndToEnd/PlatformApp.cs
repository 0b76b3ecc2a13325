using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;
using Azure.Data.Tables;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Testing;

namespace StoFunctions.Tests.EndToEnd;

/// <summary>
/// The real app in memory (<c>Program</c>) on its own Azurite and its own anvil, signing with anvil's dev key 0
/// in Local mode, with fast trigger polling. One per test class (xunit class fixture).
/// </summary>
public sealed class PlatformApp : IAsyncLifetime
{
    public const string FunctionKey = "e2e-function-key-5c1d";
    public const string AdminKey = "e2e-admin-key-9f3a";

    private Factory? _factory;
    private bool _ownsProcesses = true;

    public AnvilProcess Anvil { get; private set; } = null!;

    public AzuriteProcess Azurite { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public JsonRpcClient Rpc { get; private set; } = null!;

    public Address Issuer { get; } = Address.Parse(AnvilAccounts.Addresses[0]);

    public IServiceProvider Services => _factory!.Services;

    public Platform Platform => Services.GetRequiredService<Platform>();

    public async Task InitializeAsync()
    {
        Task<AnvilProcess> anvil = AnvilProcess.StartAsync();
        Azurite = await AzuriteProcess.StartAsync();
        Anvil = await anvil;
        Open(null, null);
    }

    /// <summary>
    /// The app with extra <paramref name="settings"/> (and service changes) on its own Azurite and anvil, which it
    /// disposes with itself: for a test class whose app must differ from the default one.
    /// </summary>
    public static async Task<PlatformApp> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        Task<AnvilProcess> anvil = AnvilProcess.StartAsync();
        var app = new PlatformApp { Azurite = await AzuriteProcess.StartAsync(), Anvil = await anvil };
        app.Open(settings, services);
        return app;
    }

    /// <summary>
    /// Another instance of the app on the given (shared, not owned) Azurite and anvil: several of them behave
    /// like app instances of one deployment (same storage, same host id, each with its own leases).
    /// </summary>
    public static PlatformApp Attach(AzuriteProcess azurite, AnvilProcess anvil, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var app = new PlatformApp { Azurite = azurite, Anvil = anvil, _ownsProcesses = false };
        app.Open(settings, services);
        return app;
    }

    private void Open(IReadOnlyDictionary<string, string?>? extra, Action<IServiceCollection>? services)
    {
        Rpc = new JsonRpcClient(Anvil.RpcUrl);
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["Ethereum:RpcUrl"] = Anvil.RpcUrl.ToString(),
            ["Ethereum:ChainId"] = Anvil.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The Scan timer's [TimerTrigger("%ScanSchedule%")] app setting (once a minute; tests drive scans themselves).
            ["ScanSchedule"] = "0 * * * * *",
            // The LaneKeeper timer: starts the lane orchestration if no submission has yet, and resumes interrupted planning.
            ["LaneKeeperSchedule"] = "*/10 * * * * *",
            ["Signer:Mode"] = "Local",
            ["Signer:LocalPrivateKey"] = AnvilAccounts.PrivateKeys[0],
            ["FunctionKeys:default"] = FunctionKey,
            ["AdminKeys:master"] = AdminKey,
            ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.300",
            ["AzureFunctionsJobHost:stoFunctions:runtime:blobPollingInterval"] = "00:00:00.300",
            ["AzureFunctionsJobHost:stoFunctions:runtime:shutdownGracePeriod"] = "00:00:01",
            ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("STO_TEST_LOG_LEVEL") ?? "Warning",
        };
        foreach ((string key, string? value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        _factory = new Factory(settings, services);
        Client = _factory.CreateClient();
        Client.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        // Generous: planning a 1,000-row distribution after lost storage (reconciliation from the chain included)
        // runs inside the request and took over 60 s on a machine loaded by two other test runs. Tests bound
        // their waits themselves.
        Client.Timeout = TimeSpan.FromMinutes(5);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        Rpc?.Dispose();
        if (_ownsProcesses)
        {
            await Anvil.DisposeAsync();
            await Azurite.DisposeAsync();
        }
    }

    /// <summary>A handler into the in-memory app (for clients that build their own HttpClient, e.g. the sto CLI).</summary>
    public HttpMessageHandler CreateHandler() => _factory!.Server.CreateHandler();

    /// <summary>A client without the default key header (for key tests).</summary>
    public HttpClient CreateBareClient() => _factory!.CreateClient();

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body, string? idempotencyKey = null) =>
        SendAsync(path, new StringContent(body is string s ? s : JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"), idempotencyKey);

    public Task<HttpResponseMessage> PostCsvAsync(string path, string csv, string? idempotencyKey = null) =>
        SendAsync(path, new StringContent(csv, Encoding.UTF8, "text/csv"), idempotencyKey);

    private Task<HttpResponseMessage> SendAsync(string path, HttpContent content, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Client.SendAsync(request);
    }

    /// <summary>Posts and expects 202; returns the command id.</summary>
    public async Task<string> SubmitAsync(string path, object body, string? idempotencyKey = null)
    {
        using HttpResponseMessage response = await PostJsonAsync(path, body, idempotencyKey);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{path}: {(int)response.StatusCode} {text}");
        using JsonDocument doc = JsonDocument.Parse(text);
        string id = doc.RootElement.GetProperty("id").GetString()!;
        Assert.Equal("/api/commands/" + id, response.Headers.Location?.ToString());
        return id;
    }

    /// <summary>Polls the command until Completed (fails on Failed or after the timeout); returns the status.</summary>
    public async Task<JsonElement> WaitCompletedAsync(string id, int timeoutSeconds = 60)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            string text = await Client.GetStringAsync("/api/commands/" + id);
            JsonElement status = JsonDocument.Parse(text).RootElement.Clone();
            string runtime = status.GetProperty("runtimeStatus").GetString()!;
            if (runtime == "Completed")
            {
                return status;
            }

            Assert.True(runtime != "Failed", $"command {id} failed: {text}");
            Assert.True(DateTime.UtcNow < deadline, $"command {id} not completed in {timeoutSeconds}s: {text}");
            await Task.Delay(150);
        }
    }

    /// <summary>Issues a token through the API and waits; returns its address.</summary>
    public async Task<Address> IssueAsync(string amount = "9999", string? restriction = null, Address? registry = null, int? decimals = null)
    {
        var body = new Dictionary<string, object> { ["name"] = "Moo Corp", ["symbol"] = "MOO", ["amount"] = amount, ["url"] = "https://tokenmarket.net" };
        if (restriction is not null)
        {
            body["restriction"] = restriction;
        }

        if (registry is Address r)
        {
            body["kycRegistry"] = r.ToString();
        }

        if (decimals is int d)
        {
            body["decimals"] = d;
        }

        JsonElement status = await WaitCompletedAsync(await SubmitAsync("/api/tokens", body));
        return Address.Parse(status.GetProperty("output").GetProperty("tokenAddress").GetString()!);
    }

    /// <summary>Deploys an IssuingEntity through the API (or uses <paramref name="entity"/>) and links the token to it; returns the entity.</summary>
    public async Task<Address> LinkEntityAsync(Address token, Address? entity = null)
    {
        Address e = entity ?? Address.Parse((await WaitCompletedAsync(await SubmitAsync("/api/issuing-entities", new { }))).GetProperty("output").GetProperty("entityAddress").GetString()!);
        await WaitCompletedAsync(await SubmitAsync($"/api/issuing-entities/{e}/tokens", new { token = token.ToString() }));
        return e;
    }

    public async Task<UInt256> BalanceAsync(Address token, string account) =>
        SecurityTokenContract.DecodeBalanceOf(await Rpc.CallAsync(new CallRequest { To = token, Data = SecurityTokenContract.BalanceOf(Address.Parse(account)) }));

    public Task<ulong> IssuerNonceAsync() => Rpc.GetTransactionCountAsync(Issuer, BlockParameter.Latest);

    public BlobContainerClient Distributions => StorageAccount.FromConnectionString(Azurite.ConnectionString).Blobs.GetBlobContainerClient(Platform.DistributionsContainer);

    public TableClient Table(string name) => new(Azurite.ConnectionString, name);

    /// <summary>Waits for the <c>.result.json</c> report beside a dropped blob.</summary>
    public async Task<JsonElement> WaitReportAsync(string blobName, int timeoutSeconds = 30)
    {
        BlobClient report = Distributions.GetBlobClient(blobName + ".result.json");
        DateTime deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            try
            {
                return JsonDocument.Parse((await report.DownloadContentAsync()).Value.Content.ToString()).RootElement.Clone();
            }
            catch (global::Azure.RequestFailedException e) when (e.Status == 404 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Counts the rows of a table (0 when it does not exist).</summary>
    public async Task<int> CountRowsAsync(string table)
    {
        int count = 0;
        try
        {
            await foreach (TableEntity _ in Table(table).QueryAsync<TableEntity>())
            {
                count++;
            }
        }
        catch (global::Azure.RequestFailedException e) when (e.Status == 404)
        {
        }

        return count;
    }

    private sealed class Factory(Dictionary<string, string?> settings, Action<IServiceCollection>? services) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            if (services is not null)
            {
                builder.ConfigureServices(services);
            }
        }

        protected override IHost CreateHost(IHostBuilder builder)
        {
            // Host configuration reaches Program's WebApplicationBuilder before its code runs (as arguments),
            // so AddStoPlatform sees Ethereum:RpcUrl; app configuration would arrive only after Build().
            builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(settings));
            return base.CreateHost(builder);
        }
    }
}
