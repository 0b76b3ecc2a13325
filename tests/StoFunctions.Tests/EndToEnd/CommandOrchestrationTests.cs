using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Orchestration;

namespace StoFunctions.Tests.EndToEnd;

/// <summary>
/// Commands as Durable orchestrations on the local host's real backend (DTFx Azure Storage on Azurite): the
/// instance id is the command id, a repeated submission finds the instance, and <c>GET /api/commands/{id}</c>
/// answers from the instance's runtime status, custom status and output.
/// </summary>
public sealed class CommandOrchestrationTests(PlatformApp app) : IClassFixture<PlatformApp>
{
    private const string Holder = "0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6";

    private DurableTaskClient Durable => app.Services.GetRequiredService<DurableTaskClient>();

    [Fact]
    public async Task AcceptedDistribution_HasAnOrchestrationInstanceWhoseIdIsTheCommandId()
    {
        Address token = await app.IssueAsync("1000");
        string id = await app.SubmitAsync($"/api/tokens/{token}/distributions", new { rows = Rows("O-1", 2) }, idempotencyKey: "orch-instance-1");

        OrchestrationMetadata? instance = await Durable.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.NotNull(instance);
        Assert.Equal(id, instance.InstanceId);
        Assert.Equal(CommandOrchestrator.Name, instance.Name);
        Assert.Equal(id, instance.ReadInputAs<string>());
    }

    [Fact]
    public async Task AcceptedTransfer_HasNoInstanceOfItsOwn_TheLaneSendsIt_AndTheLedgerAnswersItsStatus()
    {
        Address token = await app.IssueAsync("1000");
        ulong nonce = await app.IssuerNonceAsync();
        string id = await app.SubmitAsync($"/api/tokens/{token}/transfers", new { externalId = "O-T", to = Holder, amount = "5" }, idempotencyKey: "orch-transfer-1");

        JsonElement status = await app.WaitCompletedAsync(id, timeoutSeconds: 120);

        Assert.Null(await Durable.GetInstanceAsync(id));
        Assert.Equal("transfer", status.GetProperty("name").GetString());
        Assert.Equal(1, status.GetProperty("customStatus").GetProperty("confirmed").GetInt32());
        Assert.Equal(nonce + 1, await app.IssuerNonceAsync());
        Assert.False((await Durable.GetInstanceAsync(LaneInstances.IdOf(app.Platform.Lane)))!.IsCompleted);
    }

    [Fact]
    public async Task SecondSubmissionWithTheKey_FindsTheSameInstance_AndSchedulesAndSendsNothingNew()
    {
        Address token = await app.IssueAsync("1000");
        object body = new { rows = Rows("O-2", 2) };
        string first = await app.SubmitAsync($"/api/tokens/{token}/distributions", body, idempotencyKey: "orch-repeat-1");
        await app.WaitCompletedAsync(first, timeoutSeconds: 120);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        OrchestrationMetadata before = await Durable.WaitForInstanceCompletionAsync(first, getInputsAndOutputs: false, deadline.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, before.RuntimeStatus);
        ulong nonce = await app.IssuerNonceAsync();
        int rows = await app.CountRowsAsync("ledger");

        string second = await app.SubmitAsync($"/api/tokens/{token}/distributions", body, idempotencyKey: "orch-repeat-1");

        Assert.Equal(first, second);
        OrchestrationMetadata after = (await Durable.GetInstanceAsync(second))!;
        // Scheduling it again would have replaced the completed instance (new creation time, Pending/Running).
        Assert.Equal(OrchestrationRuntimeStatus.Completed, after.RuntimeStatus);
        Assert.Equal(before.CreatedAt, after.CreatedAt);
        Assert.Equal(nonce, await app.IssuerNonceAsync());
        Assert.Equal(rows, await app.CountRowsAsync("ledger"));
    }

    private static object[] Rows(string prefix, int count) =>
        [.. Enumerable.Range(1, count).Select(i => new { externalId = $"{prefix}-{i}", address = $"0x0bdcc26c4b8077374ba9db82164b77d6885b9{i:x3}", amount = "1" })];

    [Fact]
    public async Task StatusOfACompletedCommand_IsTheInstancesRuntimeStatusCustomStatusAndOutput()
    {
        Address token = await app.IssueAsync("1000");
        var rows = Enumerable.Range(1, 3).Select(i => new { externalId = $"O-3-{i}", address = $"0x0bdcc26c4b8077374ba9db82164b77d6885b92{i:x2}", amount = "1" }).ToArray();
        string id = await app.SubmitAsync($"/api/tokens/{token}/distributions", new { rows }, idempotencyKey: "orch-status-1");

        await app.WaitCompletedAsync(id, timeoutSeconds: 120);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        OrchestrationMetadata instance = await Durable.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, deadline.Token);
        JsonElement status = JsonDocument.Parse(await app.Client.GetStringAsync("/api/commands/" + id)).RootElement.Clone();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        using JsonDocument custom = JsonDocument.Parse(instance.SerializedCustomStatus!);
        Assert.Equal(3, custom.RootElement.GetProperty("Confirmed").GetInt32());
        Assert.Equal(3, status.GetProperty("customStatus").GetProperty("confirmed").GetInt32());
        Assert.Equal(3, status.GetProperty("customStatus").GetProperty("transactions").GetInt32());
        using JsonDocument output = JsonDocument.Parse(instance.SerializedOutput!);
        string[] durableHashes = [.. output.RootElement.GetProperty("Transactions").EnumerateArray().Select(t => t.GetProperty("Hash").GetString()!)];
        string[] answeredHashes = [.. status.GetProperty("output").GetProperty("transactions").EnumerateArray().Select(t => t.GetProperty("hash").GetString()!)];
        Assert.Equal(3, durableHashes.Length);
        Assert.Equal(durableHashes, answeredHashes);
        Assert.Equal(instance.LastUpdatedAt, status.GetProperty("lastUpdatedTime").GetDateTimeOffset());
        Assert.Equal("distribute", status.GetProperty("name").GetString());
        Assert.Equal(3, status.GetProperty("input").GetProperty("rows").GetArrayLength());
    }
}
