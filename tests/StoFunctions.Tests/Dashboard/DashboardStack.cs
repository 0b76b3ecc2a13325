using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Dashboard;

/// <summary>
/// The real local stack for browser tests: its own Azurite and anvil, the app as a child process on a real port
/// (<see cref="AppProcess"/>, so the browser talks HTTP to it exactly as to a Function App), and a headless
/// Chromium driven by Playwright. The browser is Debian's <c>chromium</c> (<c>./dev test</c> installs it), launched
/// through its executable path: Playwright's own browser download needs the internet.
/// </summary>
public sealed class DashboardStack : IAsyncLifetime
{
    /// <summary>The explorer the app is configured with; links are asserted, never followed.</summary>
    public const string ExplorerUrl = "https://explorer.example";

    /// <summary>Where each browser wait gives up: a deadline for a loaded 2-core machine, not an expectation.</summary>
    public const float Deadline = 120_000;

    private Task<string>? _distributedToken;

    public AzuriteProcess Azurite { get; private set; } = null!;

    public AnvilProcess Anvil { get; private set; } = null!;

    public AppProcess App { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary><c>http://127.0.0.1:{port}/api/dashboard/</c>.</summary>
    public string DashboardUrl => new Uri(App.BaseAddress, "/api/dashboard/").ToString();

    /// <summary>
    /// The browser: <c>STO_CHROMIUM</c> when set, else <c>chromium</c> on <c>PATH</c> (Debian's package puts it at
    /// <c>/usr/bin/chromium</c>).
    /// </summary>
    public static string ChromiumPath()
    {
        if (Environment.GetEnvironmentVariable("STO_CHROMIUM") is { Length: > 0 } configured)
        {
            return configured;
        }

        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin"))
        {
            string candidate = Path.Combine(directory, "chromium");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("No chromium on PATH for the dashboard's browser tests. Install Debian's package (apt-get install -y chromium; ./dev test does it) or set STO_CHROMIUM to a Chromium binary.");
    }

    public async Task InitializeAsync()
    {
        Task<AnvilProcess> anvil = AnvilProcess.StartAsync();
        Azurite = await AzuriteProcess.StartAsync();
        Anvil = await anvil;
        AppProcessOptions options = AppProcessOptions.ForPlatform(Azurite.ConnectionString, Anvil.RpcUrl, Anvil.ChainId);
        options.Settings["Dashboard:ExplorerUrl"] = ExplorerUrl;
        App = await AppProcess.StartAsync(options);
        // Every assertion auto-waits up to the deadline (Playwright's default is 5 s, too short on a loaded machine).
        Assertions.SetDefaultExpectTimeout(Deadline);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            // Root in a container has no user namespace sandbox (the page is our own, served from 127.0.0.1), and a
            // container's /dev/shm is often 64 MB, too small for Chromium's shared memory: use /tmp instead.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        if (Anvil is not null)
        {
            await Anvil.DisposeAsync();
        }

        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }

    /// <summary>A new browser tab (its own session storage) on the dashboard, collecting console errors.</summary>
    public Task<DashboardSession> OpenAsync(int width = 1280, int height = 900) => DashboardSession.OpenAsync(this, width, height);

    /// <summary>Issues a 9,999 MOO token through the API and waits for it; returns its address.</summary>
    public async Task<string> IssueAsync()
    {
        string id = await SubmitAsync("/api/tokens", "application/json", """{"name":"Moo Corp","symbol":"MOO","amount":"9999"}""");
        JsonElement status = await WaitCompletedAsync(id);
        return status.GetProperty("output").GetProperty("tokenAddress").GetString()!;
    }

    /// <summary>
    /// One token with the example distribution done and scanned (through the API), shared by the tests that only
    /// need pages with data on them.
    /// </summary>
    public Task<string> DistributedTokenAsync() => _distributedToken ??= DistributeExampleAsync();

    /// <summary>The example distribution CSV of the shared reference folder.</summary>
    public static string ExampleCsv => File.ReadAllText(Path.Combine(RepoPaths.Shared, "examples", "example-distribution.csv"));

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using HttpResponseMessage response = await App.Client.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The command of <see cref="DistributedTokenAsync"/>'s distribution (set once that completed).</summary>
    public string? DistributionId { get; private set; }

    private async Task<string> DistributeExampleAsync()
    {
        string token = await IssueAsync();
        string id = await SubmitAsync($"/api/tokens/{token}/distributions", "text/csv", ExampleCsv);
        await WaitCompletedAsync(id);
        DistributionId = id;
        await ScanAsync(token);
        return token;
    }

    /// <summary>Scans <paramref name="token"/> through the API and waits for the scan to complete.</summary>
    public async Task ScanAsync(string token) =>
        await WaitCompletedAsync(await SubmitAsync($"/api/tokens/{token}/scans", "application/json", "{}"));

    private async Task<string> SubmitAsync(string path, string contentType, string body)
    {
        using HttpResponseMessage response = await App.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> WaitCompletedAsync(string id)
    {
        DateTime deadline = DateTime.UtcNow.AddMilliseconds(Deadline);
        while (true)
        {
            JsonElement status = await GetJsonAsync("/api/commands/" + id);
            string runtime = status.GetProperty("runtimeStatus").GetString()!;
            if (runtime == "Completed")
            {
                return status;
            }

            Assert.True(runtime != "Failed", $"command {id} failed: {status}");
            Assert.True(DateTime.UtcNow < deadline, $"command {id} not completed by the deadline: {status}");
            await Task.Delay(200);
        }
    }
}
