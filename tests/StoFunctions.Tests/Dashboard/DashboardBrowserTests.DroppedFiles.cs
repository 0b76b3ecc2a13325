using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Playwright;
using StoFunctions.Azure.Storage;
using StoFunctions.Tests.Functions.Distributions;
using static Microsoft.Playwright.Assertions;

namespace StoFunctions.Tests.Dashboard;

// The Distribute page's "Files dropped in storage": files uploaded with the storage SDK, as Storage Explorer does.
public sealed partial class DashboardBrowserTests
{
    [Fact]
    public async Task ACsvDroppedInStorage_ShowsItsRowErrorsWhenRejected_AndNothingIsSent_AndLinksItsCommandWhenAccepted()
    {
        string token = await stack.IssueAsync();
        BlobContainerClient container = StorageAccount.FromConnectionString(stack.Azurite.ConnectionString).Blobs.GetBlobContainerClient("distributions");
        int distributionsBefore = await CountDistributionsAsync();
        ulong nonceBefore = await NextNonceAsync();

        await using DashboardSession session = await stack.OpenAsync();
        await session.EnterKeyAsync();
        IPage page = session.Page;
        await session.GoAsync($"distribute?token={token}", "Distribute");
        await Expect(page.Locator("#dropped-files")).ToContainTextAsync("No CSV file has been dropped for this token");

        const string bad = ListDistributionFilesTests.BadCsv;
        await container.GetBlobClient($"{token}/bad-drop.csv").UploadAsync(BinaryData.FromString(bad), overwrite: true);
        ILocator rejected = page.Locator("#dropped-files-table tr[data-name='bad-drop.csv']");
        await Expect(rejected).ToHaveAttributeAsync("data-result", "Rejected", new() { Timeout = DashboardStack.Deadline });

        // Exactly the report's errors, one item per row, as the trigger wrote them beside the file.
        JsonElement report = JsonDocument.Parse((await container.GetBlobClient($"{token}/bad-drop.csv.result.json").DownloadContentAsync()).Value.Content.ToString()).RootElement;
        JsonProperty[] errors = [.. report.GetProperty("errors").EnumerateObject()];
        Assert.Equal(["row 3", "row 4"], errors.Select(e => e.Name).Order(StringComparer.Ordinal));
        await Expect(rejected.Locator("li")).ToHaveCountAsync(errors.Length);
        foreach (JsonProperty error in errors)
        {
            await Expect(rejected.Locator($"li[data-key='{error.Name}']")).ToHaveTextAsync($"{error.Name}: {string.Join(" ", error.Value.EnumerateArray().Select(m => m.GetString()))}");
        }

        await Expect(rejected).ToContainTextAsync("nothing was started");
        Assert.Equal(distributionsBefore, await CountDistributionsAsync());
        Assert.Equal(nonceBefore, await NextNonceAsync());

        await container.GetBlobClient($"{token}/good-drop.csv").UploadAsync(BinaryData.FromString(DashboardStack.ExampleCsv), overwrite: true);
        ILocator accepted = page.Locator("#dropped-files-table tr[data-name='good-drop.csv']");
        await Expect(accepted).ToHaveAttributeAsync("data-result", "Accepted", new() { Timeout = DashboardStack.Deadline });
        string commandId = JsonDocument.Parse((await container.GetBlobClient($"{token}/good-drop.csv.result.json").DownloadContentAsync()).Value.Content.ToString()).RootElement.GetProperty("commandId").GetString()!;
        ILocator link = accepted.GetByRole(AriaRole.Link);
        await Expect(link).ToHaveAttributeAsync("href", $"#/commands?id={commandId}");
        await Expect(page.Locator("#dropped-files-table tbody tr")).ToHaveCountAsync(2);
        await Screenshot(page, "distribute-dropped");

        await link.ClickAsync();
        await Expect(page.Locator("h1#page-title")).ToHaveTextAsync("Commands");
        await Expect(page.Locator("#command-status")).ToHaveTextAsync("Completed", s_long);
        await Expect(page.Locator("#command-rows tbody tr")).ToHaveCountAsync(2, new() { Timeout = DashboardStack.Deadline });
        session.AssertNoConsoleErrors();
    }
}
