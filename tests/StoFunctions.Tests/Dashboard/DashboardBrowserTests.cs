using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using StoFunctions.Testing;
using StoFunctions.Tests.Functions.Distributions;
using static Microsoft.Playwright.Assertions;

namespace StoFunctions.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser (headless Chromium through Playwright) against the real local stack
/// (<see cref="DashboardStack"/>): every page, the key handling, a CSV dropped on Distribute followed to
/// Completed, the chart against the cap table API, a refused CSV, keyboard use, labels, contrast and a phone width.
/// Waits are Playwright's auto-waiting assertions with generous deadlines; nothing sleeps.
/// </summary>
public sealed partial class DashboardBrowserTests(DashboardStack stack) : IClassFixture<DashboardStack>
{
    private const string Holder300 = "0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6";
    private const string Holder500 = "0xE738f7A6Eb317b8B286c27296cD982445c9D8cd2";

    private static readonly LocatorAssertionsToHaveTextOptions s_long = new() { Timeout = DashboardStack.Deadline };

    [Fact]
    public async Task EveryPage_WithTheKey_ShowsItsDataWithoutAConsoleError()
    {
        string token = await stack.DistributedTokenAsync();
        await using DashboardSession session = await stack.OpenAsync();
        await session.EnterKeyAsync();
        IPage page = session.Page;

        await session.GoAsync("tokens", "Tokens");
        ILocator row = page.Locator($"#tokens tr[data-token='{token}']");
        await Expect(row).ToContainTextAsync("9999 MOO", new() { Timeout = DashboardStack.Deadline });
        await Expect(row).ToContainTextAsync("unrestricted");
        await Screenshot(page, "tokens");

        await session.GoAsync($"captable?token={token}", "Cap table");
        await Expect(page.Locator("#chart-legend li")).ToHaveCountAsync(3, new() { Timeout = DashboardStack.Deadline });
        await Screenshot(page, "captable");

        await session.GoAsync("commands", "Commands");
        await Expect(page.Locator("#commands tbody tr").First).ToBeVisibleAsync();
        await Screenshot(page, "commands");

        await session.GoAsync("health", "Health");
        await Expect(page.Locator("#app-status")).ToContainTextAsync("Healthy", new() { Timeout = DashboardStack.Deadline });
        await Expect(page.Locator("#nonce-drift")).ToHaveTextAsync("0", s_long);
        await Expect(page.Locator("#signer-balance")).ToContainTextAsync("ETH");
        await Expect(page.Locator("tr[data-dependency='storage']")).ToContainTextAsync("Healthy");
        await Expect(page.Locator("tr[data-dependency='chain']")).ToContainTextAsync("Healthy");
        await Screenshot(page, "health");

        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task WithoutAKey_EveryPageAsksForIt_AndNoKeyedRouteIsCalled()
    {
        await using DashboardSession session = await stack.OpenAsync();
        foreach ((string route, string title) in new[] { ("tokens", "Tokens"), ("captable", "Cap table"), ("commands", "Commands"), ("distribute", "Distribute") })
        {
            await session.GoAsync(route, title);
            await Expect(session.Page.Locator("#key-needed")).ToContainTextAsync("Function key");
        }

        await session.GoAsync("health", "Health");
        await Expect(session.Page.Locator("#app-status")).ToContainTextAsync("Healthy", new() { Timeout = DashboardStack.Deadline });

        string[] keyed = [.. session.Requests.Select(r => new Uri(r.Url).AbsolutePath)
            .Where(p => p.StartsWith("/api/", StringComparison.Ordinal) && !p.StartsWith("/api/dashboard", StringComparison.Ordinal) && p != "/api/health")];
        Assert.Empty(keyed);
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task TheKey_GoesOnlyInTheHeaderAndSessionStorage_NeverInAUrlOrLocalStorage()
    {
        string token = await stack.DistributedTokenAsync();
        await using DashboardSession session = await stack.OpenAsync();
        await session.EnterKeyAsync();
        await session.GoAsync($"captable?token={token}", "Cap table");
        await Expect(session.Page.Locator("#chart-legend li")).ToHaveCountAsync(3, new() { Timeout = DashboardStack.Deadline });

        IRequest[] api = [.. session.Requests.Where(r => new Uri(r.Url).AbsolutePath is var p && p.StartsWith("/api/", StringComparison.Ordinal) && !p.StartsWith("/api/dashboard", StringComparison.Ordinal))];
        Assert.NotEmpty(api);
        Assert.All(api, r => Assert.Equal(AppProcessOptions.FunctionKey, r.Headers["x-functions-key"]));
        Assert.All(session.Requests, r => Assert.DoesNotContain(AppProcessOptions.FunctionKey, r.Url, StringComparison.Ordinal));
        Assert.DoesNotContain(AppProcessOptions.FunctionKey, session.Page.Url, StringComparison.Ordinal);
        Assert.Equal(AppProcessOptions.FunctionKey, await session.Page.EvaluateAsync<string>("() => sessionStorage.getItem('sto.functionKey')"));
        Assert.Equal(0, await session.Page.EvaluateAsync<int>("() => localStorage.length"));

        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Forget key" }).ClickAsync();
        Assert.Null(await session.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('sto.functionKey')"));
        await Expect(session.Page.Locator("#key-needed")).ToBeVisibleAsync();
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task ExampleCsvDroppedOnDistribute_ProgressReachesCompleted_AndTheChartAndTableEqualTheCapTableApi()
    {
        string token = await stack.IssueAsync();
        // Known to the scanner before the cap table page opens: for a token never scanned the page's first read is a
        // 409, which Chromium logs as a console error, and whether the scan timer got there first was luck.
        await stack.ScanAsync(token);
        await using DashboardSession session = await stack.OpenAsync();
        await session.EnterKeyAsync();
        IPage page = session.Page;
        await session.GoAsync($"distribute?token={token}", "Distribute");
        await Expect(page.Locator("#distribute-token")).ToHaveValueAsync(token);

        // A real drop: a DataTransfer holding the file, dispatched on the drop zone.
        IJSHandle dataTransfer = await page.EvaluateHandleAsync(
            "([name, text]) => { const dt = new DataTransfer(); dt.items.add(new File([text], name, { type: 'text/csv' })); return dt; }",
            new[] { "example-distribution.csv", DashboardStack.ExampleCsv });
        await page.DispatchEventAsync("#drop-zone", "drop", new Dictionary<string, object> { ["dataTransfer"] = dataTransfer });
        await Expect(page.Locator("#preview-rows tbody tr")).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send 2 transfers" }).ClickAsync();

        await Expect(page.Locator("#distribution-status")).ToHaveTextAsync("Completed", s_long);
        ILocator bar = page.GetByRole(AriaRole.Progressbar, new() { Name = "Distribution progress" });
        await Expect(bar).ToHaveAttributeAsync("value", "2");
        await Expect(bar).ToHaveAttributeAsync("max", "2");
        await Expect(page.Locator("#progress")).ToContainTextAsync("2 of 2 confirmed");
        await Expect(page.Locator("#progress")).Not.ToContainTextAsync("null");
        await Screenshot(page, "distribute");

        await page.GetByRole(AriaRole.Link, new() { Name = "See the cap table" }).ClickAsync();
        await Expect(page.Locator("h1#page-title")).ToHaveTextAsync("Cap table");
        await page.GetByRole(AriaRole.Button, new() { Name = "Scan now" }).ClickAsync();
        await Expect(page.Locator("#chart-legend li")).ToHaveCountAsync(3, new() { Timeout = DashboardStack.Deadline });

        JsonElement capTable = await stack.GetJsonAsync($"/api/tokens/{token}/holders?orderBy=balance&orderDirection=desc&includeEmpty=false");
        JsonElement[] holders = [.. capTable.GetProperty("holders").EnumerateArray()];
        Assert.Equal(3, holders.Length);
        Assert.Equal([AnvilAccounts.Addresses[0], Holder500, Holder300], holders.Select(h => h.GetProperty("address").GetString()));
        Assert.Equal(["9199", "500", "300"], holders.Select(h => (System.Numerics.BigInteger.Parse(h.GetProperty("raw").GetString()!, CultureInfo.InvariantCulture) / System.Numerics.BigInteger.Pow(10, 18)).ToString(CultureInfo.InvariantCulture)));

        // The legend (what a reader sees and hears) and the SVG slices carry the API's holders, in order.
        ILocator legend = page.Locator("#chart-legend li");
        ILocator slices = page.Locator("svg.donut circle.slice");
        await Expect(slices).ToHaveCountAsync(3);
        var total = System.Numerics.BigInteger.Parse(ToRaw(capTable.GetProperty("accountedSupply").GetString()!, capTable.GetProperty("decimals").GetInt32()), CultureInfo.InvariantCulture);
        for (int i = 0; i < holders.Length; i++)
        {
            JsonElement holder = holders[i];
            string raw = holder.GetProperty("raw").GetString()!;
            Assert.Equal(holder.GetProperty("address").GetString(), await legend.Nth(i).GetAttributeAsync("data-address"));
            Assert.Equal(raw, await legend.Nth(i).GetAttributeAsync("data-raw"));
            Assert.Equal(holder.GetProperty("balance").GetString() + " MOO", await legend.Nth(i).Locator(".legend-balance").InnerTextAsync());
            Assert.Equal(holder.GetProperty("percent").GetString() + "%", await legend.Nth(i).Locator(".legend-percent").InnerTextAsync());
            Assert.Equal(raw, await slices.Nth(i).GetAttributeAsync("data-raw"));
            double share = double.Parse((await slices.Nth(i).GetAttributeAsync("stroke-dasharray"))!.Split(' ')[0], CultureInfo.InvariantCulture);
            double expected = (double)(System.Numerics.BigInteger.Parse(raw, CultureInfo.InvariantCulture) * 1_000_000 / total) / 10_000;
            Assert.Equal(expected, share, 6);
        }

        // The holders table shows the same rows and balances.
        ILocator rows = page.Locator("#holders tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        for (int i = 0; i < holders.Length; i++)
        {
            Assert.Equal(holders[i].GetProperty("address").GetString(), await rows.Nth(i).GetAttributeAsync("data-address"));
            Assert.Equal(holders[i].GetProperty("balance").GetString(), await rows.Nth(i).Locator("td.balance").InnerTextAsync());
        }

        await Expect(page.Locator("#total-supply")).ToHaveTextAsync(capTable.GetProperty("totalSupply").GetString()!);
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task CommandsPage_ShowsADistributionsRowsWithExplorerLinks_AndAnotherSortOrderComesFromTheApi()
    {
        string token = await stack.DistributedTokenAsync();
        await using DashboardSession session = await stack.OpenAsync();
        await session.EnterKeyAsync();
        IPage page = session.Page;
        await session.GoAsync("commands", "Commands");
        ILocator distribution = page.Locator("#commands tbody tr[data-status='Completed']").Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = "distribute", Exact = true }) }).First;
        await Expect(distribution).ToContainTextAsync("2 of 2 confirmed", new() { Timeout = DashboardStack.Deadline });
        await distribution.GetByRole(AriaRole.Link, new() { Name = "distribute", Exact = true }).ClickAsync();

        await Expect(page.Locator("#command-status")).ToHaveTextAsync("Completed", s_long);
        ILocator rows = page.Locator("#command-rows tbody tr");
        await Expect(rows).ToHaveCountAsync(2, new() { Timeout = DashboardStack.Deadline });
        foreach (ILocator row in await rows.AllAsync())
        {
            await Expect(row).ToContainTextAsync("Confirmed");
            string? href = await row.Locator("a[href*='/tx/']").GetAttributeAsync("href");
            Assert.Matches($"^{Regex.Escape(DashboardStack.ExplorerUrl)}/tx/0x[0-9a-f]{{64}}$", href);
        }

        await Expect(page.Locator("#command-transactions tbody tr")).ToHaveCountAsync(2);
        await Screenshot(page, "command");

        await session.GoAsync($"captable?token={token}", "Cap table");
        await Expect(page.Locator("#holders tbody tr")).ToHaveCountAsync(3, new() { Timeout = DashboardStack.Deadline });
        await page.GetByRole(AriaRole.Button, new() { Name = "Address" }).ClickAsync();
        await Expect(page.Locator("#holders th[aria-sort='descending']")).ToContainTextAsync("Address");
        JsonElement byAddress = await stack.GetJsonAsync($"/api/tokens/{token}/holders?orderBy=address&orderDirection=desc&includeEmpty=false");
        string[] expected = [.. byAddress.GetProperty("holders").EnumerateArray().Select(h => h.GetProperty("address").GetString()!)];
        await Expect(page.Locator("#holders tbody tr").First).ToHaveAttributeAsync("data-address", expected[0]);
        Assert.Equal(expected, await page.Locator("#holders tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.address)"));
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task TheCapTableAtTheBlockBeforeTheDistribution_ShowsOnlyTheIssuer_AndItsCsvDownloadIsTheApisCsv()
    {
        string token = await stack.DistributedTokenAsync();
        JsonElement rows = await stack.GetJsonAsync($"/api/commands/{stack.DistributionId}/rows");
        ulong before = rows.GetProperty("rows").EnumerateArray().Min(r => r.GetProperty("blockNumber").GetUInt64()) - 1;
        await using DashboardSession session = await stack.OpenAsync();
        await session.EnterKeyAsync();
        IPage page = session.Page;
        await session.GoAsync($"captable?token={token}", "Cap table");
        await Expect(page.Locator("#chart-legend li")).ToHaveCountAsync(3, new() { Timeout = DashboardStack.Deadline });

        await page.GetByLabel("At block (empty: now)").FillAsync(before.ToString(CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Show cap table" }).ClickAsync();
        await Expect(page.Locator("#as-of")).ToContainTextAsync($"block {before}", new() { Timeout = DashboardStack.Deadline });
        await Expect(page.Locator("#chart-legend li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#chart-legend li")).ToHaveAttributeAsync("data-address", AnvilAccounts.Addresses[0]);
        await Expect(page.Locator("#chart-legend .legend-percent")).ToHaveTextAsync("100.00%");

        IDownload download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download CSV" }).ClickAsync());
        string saved = Path.Combine(Path.GetTempPath(), $"sto-captable-{Guid.NewGuid():N}.csv");
        await download.SaveAsAsync(saved);
        string csv = await File.ReadAllTextAsync(saved);
        File.Delete(saved);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/tokens/{token}/holders?orderBy=balance&orderDirection=desc&includeEmpty=false&atBlock={before}");
        request.Headers.Accept.ParseAdd("text/csv");
        using HttpResponseMessage response = await stack.App.Client.SendAsync(request);
        Assert.Equal(await response.Content.ReadAsStringAsync(), csv);
        Assert.Equal($"cap-table-{token}-block-{before}.csv", download.SuggestedFilename);
        Assert.Contains(AnvilAccounts.Addresses[0], csv, StringComparison.Ordinal);
        Assert.DoesNotContain(Holder300, csv, StringComparison.Ordinal);
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task ABadCsv_ShowsEachRowErrorBesideItsRow_AndCreatesNoCommandAndNoTransaction()
    {
        string token = await stack.DistributedTokenAsync();
        const string csv = ListDistributionFilesTests.BadCsv;
        int distributionsBefore = await CountDistributionsAsync();
        ulong nonceBefore = await NextNonceAsync();

        await using DashboardSession session = await stack.OpenAsync();
        await session.EnterKeyAsync();
        IPage page = session.Page;
        await session.GoAsync($"distribute?token={token}", "Distribute");
        await page.GetByLabel("Distribution CSV file").SetInputFilesAsync(new FilePayload { Name = "bad.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await Expect(page.Locator("#preview-rows tbody tr")).ToHaveCountAsync(3);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send 3 transfers" }).ClickAsync();

        await Expect(page.Locator("#rejection")).ToContainTextAsync("nothing was sent", new() { Timeout = DashboardStack.Deadline });
        await Expect(page.Locator("#rejection")).ToContainTextAsync("2 rows have errors");

        // The same file through the API: the page shows exactly its row errors, each beside its line.
        using HttpResponseMessage refused = await stack.App.Client.PostAsync($"/api/tokens/{token}/distributions", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        JsonElement errors = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["row 3", "row 4"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        foreach (JsonProperty error in errors.EnumerateObject())
        {
            string line = error.Name["row ".Length..];
            ILocator row = page.Locator($"#preview-rows tr[data-line='{line}']");
            await Expect(row).ToHaveClassAsync("invalid");
            Assert.Equal(string.Join(" ", error.Value.EnumerateArray().Select(m => m.GetString())), await row.Locator(".row-error").InnerTextAsync());
        }

        Assert.Equal("", await page.Locator("#preview-rows tr[data-line='2'] .row-error").InnerTextAsync());
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send 3 transfers" })).ToBeEnabledAsync();
        Assert.Equal(distributionsBefore, await CountDistributionsAsync());
        Assert.Equal(nonceBefore, await NextNonceAsync());
        await Screenshot(page, "distribute-rejected");

        // The browser reports the 400 answer itself; that is the only error allowed.
        session.AssertNoConsoleErrors(BadRequestLogged());
    }

    [Fact]
    public async Task OwnershipChart_OfSevenHolders_ShowsTheFiveLargest_AndARestOfTheTotalLessTheirs()
    {
        await using DashboardSession session = await stack.OpenAsync();
        JsonElement parts = await session.Page.EvaluateAsync<JsonElement>("""
            async () => {
              const { slices } = await import('./chart.js');
              const holders = [1, 7, 3, 0, 5, 2, 6, 4].map((n, i) => ({ address: '0x' + String(i).repeat(40), name: '', balance: `${n}.00`, raw: String(BigInt(n) * 10n ** 18n), percent: '' }));
              // The accounted supply is larger than the listed holders' sum (a cap table cut at maxEntries).
              return slices(holders, 40n * 10n ** 18n, 18).map(p => ({ address: p.address, raw: p.raw.toString(), balance: p.balance, percent: p.percent }));
            }
            """);
        JsonElement[] list = [.. parts.EnumerateArray()];
        Assert.Equal(6, list.Length);
        Assert.Equal(["7", "6", "5", "4", "3"], list.Take(5).Select(p => (System.Numerics.BigInteger.Parse(p.GetProperty("raw").GetString()!, CultureInfo.InvariantCulture) / System.Numerics.BigInteger.Pow(10, 18)).ToString(CultureInfo.InvariantCulture)));
        JsonElement rest = list[5];
        Assert.Equal("", rest.GetProperty("address").GetString());
        Assert.Equal((15 * System.Numerics.BigInteger.Pow(10, 18)).ToString(CultureInfo.InvariantCulture), rest.GetProperty("raw").GetString());
        Assert.Equal("15.00", rest.GetProperty("balance").GetString());
        Assert.Equal("37.50", rest.GetProperty("percent").GetString());
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task TheKeyboardReachesTheKeyNavigationAndEveryControl_AndEveryControlHasAName()
    {
        string token = await stack.DistributedTokenAsync();
        await using DashboardSession session = await stack.OpenAsync();
        IPage page = session.Page;

        // From the top of the page: skip link, the five page links, the key field and its buttons, in that order.
        string[] header = await TabOrderAsync(page, 10);
        Assert.Equal(["skip", "Tokens", "Cap table", "Commands", "Distribute", "Health", "function-key", "Use key", "forget-key"], header[..9]);

        // The key is entered and used from the keyboard alone.
        await page.Locator("#function-key").FocusAsync();
        await page.Keyboard.TypeAsync(AppProcessOptions.FunctionKey);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#key-state")).ToHaveTextAsync("Key set for this tab.");

        await session.GoAsync($"captable?token={token}", "Cap table");
        await Expect(page.Locator("#holders tbody tr")).ToHaveCountAsync(3, new() { Timeout = DashboardStack.Deadline });
        string[] order = await TabOrderAsync(page, 45);
        string[] controls = ["token", "at-block", "at-time", "include-empty", "Show cap table", "scan-now", "download-csv"];
        // Tab wraps around to the top after the last control; the first round is the order.
        Assert.Equal(controls, order.Where(controls.Contains).Distinct());
        Assert.Contains("Address", order);

        // Sorting from the keyboard: Enter on a column's button.
        await page.GetByRole(AriaRole.Button, new() { Name = "Balance" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#holders th[aria-sort='ascending']")).ToContainTextAsync("Balance");

        // A page link followed with Enter moves focus into the page.
        await page.GetByRole(AriaRole.Link, new() { Name = "Health" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("h1#page-title")).ToHaveTextAsync("Health");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));

        foreach ((string route, string title, string ready) in Pages(token))
        {
            await session.GoAsync(route, title);
            await Expect(page.Locator(ready).First).ToBeVisibleAsync();
            Assert.Empty(await page.EvaluateAsync<string[]>(UnnamedControlsScript));
            Assert.Equal(1, await page.Locator("h1").CountAsync());
            Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        }

        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task EveryTextOnEveryPage_HasAContrastOfAtLeast4_5To1()
    {
        string token = await stack.DistributedTokenAsync();
        await using DashboardSession session = await stack.OpenAsync();
        await session.EnterKeyAsync();
        foreach ((string route, string title, string ready) in Pages(token))
        {
            await session.GoAsync(route, title);
            await Expect(session.Page.Locator(ready).First).ToBeVisibleAsync();
            Assert.Empty(await session.Page.EvaluateAsync<string[]>(LowContrastScript));
        }

        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task AtAPhoneWidthOf375Px_NoPageScrollsSideways()
    {
        string token = await stack.DistributedTokenAsync();
        await using DashboardSession session = await stack.OpenAsync(375, 800);
        await session.EnterKeyAsync();
        foreach ((string route, string title, string ready) in Pages(token))
        {
            await session.GoAsync(route, title);
            await Expect(session.Page.Locator(ready).First).ToBeVisibleAsync();
            int width = await session.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(width <= 375, $"{route}: the page is {width} px wide at a 375 px viewport");
            if (route.StartsWith("captable", StringComparison.Ordinal))
            {
                await Screenshot(session.Page, "captable-phone");
            }
        }

        session.AssertNoConsoleErrors();
    }

    private static (string Route, string Title, string Ready)[] Pages(string token) =>
    [
        ("tokens", "Tokens", $"#tokens tr[data-token='{token}']"),
        ($"captable?token={token}", "Cap table", "#chart-legend li"),
        ("commands", "Commands", "#commands tbody tr"),
        ($"distribute?token={token}", "Distribute", "#drop-zone"),
        ("health", "Health", "#diagnose"),
    ];

    private async Task<int> CountDistributionsAsync() =>
        (await stack.GetJsonAsync("/api/commands?command=distribute&limit=500")).GetProperty("commands").GetArrayLength();

    private async Task<ulong> NextNonceAsync() =>
        (await stack.GetJsonAsync($"/api/accounts/{AnvilAccounts.Addresses[0]}/nonce")).GetProperty("nextNonce").GetUInt64();

    /// <summary>Presses Tab from the top of the page <paramref name="presses"/> times; each newly focused element's id, else its text.</summary>
    private static async Task<string[]> TabOrderAsync(IPage page, int presses)
    {
        await page.EvaluateAsync("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }");
        var order = new List<string>();
        for (int i = 0; i < presses; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            string focused = await page.EvaluateAsync<string>("() => { const e = document.activeElement; return e.id || e.textContent.trim().replace(/\\s*[▲▼]$/, ''); }");
            // A date-time field is one element with a tab stop per part (month, day, year, …): count it once.
            if (order.Count == 0 || order[^1] != focused)
            {
                order.Add(focused);
            }
        }

        return [.. order];
    }

    /// <summary>
    /// Saves a screenshot: into <c>STO_DASHBOARD_SCREENSHOTS</c> when set (<c>./dev screenshots</c> points it at
    /// <c>docs/</c>), else into a temporary folder (the capture itself is still exercised).
    /// </summary>
    private static async Task Screenshot(IPage page, string name)
    {
        string directory = Environment.GetEnvironmentVariable("STO_DASHBOARD_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "sto-dashboard-screenshots");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, $"dashboard-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        Assert.True(new FileInfo(path).Length > 1000, $"{path} is nearly empty");
    }

    private static string ToRaw(string amount, int decimals)
    {
        string[] parts = amount.Split('.');
        string fraction = (parts.Length > 1 ? parts[1] : "").PadRight(decimals, '0')[..decimals];
        return (System.Numerics.BigInteger.Parse(parts[0] + fraction, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("Failed to load resource: the server responded with a status of 400")]
    private static partial Regex BadRequestLogged();

    // Every visible form control, button and link has an accessible name: a <label>, aria-label(ledby) or text.
    private const string UnnamedControlsScript = """
        () => [...document.querySelectorAll('input, select, textarea, button, a[href], progress, [role=img]')]
          .filter(e => e.getClientRects().length > 0)
          .filter(e => {
            const labelled = e.getAttribute('aria-labelledby');
            const name = (e.labels && e.labels.length ? [...e.labels].map(l => l.textContent).join(' ') : '')
              || e.getAttribute('aria-label')
              || (labelled ? labelled.split(' ').map(id => document.getElementById(id)?.textContent ?? '').join(' ') : '')
              || (e.tagName === 'INPUT' || e.tagName === 'SELECT' ? '' : e.textContent);
            return !name || !name.trim();
          })
          .map(e => e.outerHTML.slice(0, 160))
        """;

    // WCAG 2.x contrast of every visible text node against the first opaque background behind it:
    // 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
    private const string LowContrastScript = """
        () => {
          const parse = c => { const m = /rgba?\(([^)]+)\)/.exec(c); if (!m) return null; const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
          const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
          const luminance = c => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
          const background = element => { for (let e = element; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
          const failures = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const element = node.parentElement;
            if (!node.textContent.trim() || !element || element.closest('svg, noscript')) continue;
            const style = getComputedStyle(element);
            if (style.visibility === 'hidden' || element.getClientRects().length === 0) continue;
            const fg = parse(style.color), bg = background(element);
            const a = luminance(fg), b = luminance(bg);
            const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
            const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
            if (ratio < needed) failures.push(`${element.tagName} "${node.textContent.trim().slice(0, 40)}" ${style.color} on rgb(${bg.r}, ${bg.g}, ${bg.b}): ${ratio.toFixed(2)}`);
          }
          return failures;
        }
        """;
}
