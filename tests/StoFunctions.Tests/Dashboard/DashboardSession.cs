using System.Text.RegularExpressions;
using Microsoft.Playwright;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Dashboard;

/// <summary>
/// One browser tab on the dashboard: its own context (fresh session storage), every console error and uncaught
/// page error collected for <see cref="AssertNoConsoleErrors"/>, every request the page sends recorded.
/// </summary>
public sealed class DashboardSession : IAsyncDisposable
{
    private readonly DashboardStack _stack;
    private readonly List<string> _errors = [];
    private readonly List<IRequest> _requests = [];

    private DashboardSession(DashboardStack stack, IBrowserContext context, IPage page)
    {
        _stack = stack;
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_errors)
                {
                    _errors.Add($"console: {message.Text} ({message.Location})");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add("uncaught: " + error);
            }
        };
        page.Request += (_, request) =>
        {
            lock (_requests)
            {
                _requests.Add(request);
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Every request the tab sent so far.</summary>
    public IReadOnlyList<IRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    internal static async Task<DashboardSession> OpenAsync(DashboardStack stack, int width, int height)
    {
        IBrowserContext context = await stack.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(DashboardStack.Deadline);
        IPage page = await context.NewPageAsync();
        var session = new DashboardSession(stack, context, page);
        await page.GotoAsync(stack.DashboardUrl);
        await Assertions.Expect(page.Locator("h1#page-title")).ToBeVisibleAsync(new() { Timeout = DashboardStack.Deadline });
        return session;
    }

    /// <summary>Types the function key into the page's key form, as a user would.</summary>
    public async Task EnterKeyAsync()
    {
        await Page.GetByLabel("Function key").FillAsync(AppProcessOptions.FunctionKey);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#key-state")).ToHaveTextAsync("Key set for this tab.");
    }

    /// <summary>Shows a page (<c>tokens</c>, <c>captable?token=…</c>) and waits for its title.</summary>
    public async Task GoAsync(string route, string title)
    {
        await Page.GotoAsync(_stack.DashboardUrl + "#/" + route);
        await Assertions.Expect(Page.Locator("h1#page-title")).ToHaveTextAsync(title, new() { Timeout = DashboardStack.Deadline });
    }

    /// <summary>Fails with every console error so far, except those matching one of <paramref name="expected"/>.</summary>
    public void AssertNoConsoleErrors(params Regex[] expected)
    {
        string[] errors;
        lock (_errors)
        {
            errors = [.. _errors.Where(e => !expected.Any(x => x.IsMatch(e)))];
        }

        Assert.True(errors.Length == 0, "The page logged errors:\n" + string.Join("\n", errors));
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
