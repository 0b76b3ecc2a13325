using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Planning;
using StoFunctions.Pipeline.Tests.Lanes;

namespace StoFunctions.Pipeline.Tests.Commands;

/// <summary>Concurrent submissions joined into per-lane batches: admission, packed allocation, business keys.</summary>
public sealed class CommandServiceBatchingTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    private static readonly Address s_target = Address.Parse("0x00000000000000000000000000000000000000e1");

    [Fact]
    public async Task SixtyConcurrentCommandsSharingThirtyBusinessKeys_GetThirtyContiguousNonces_PairsShareTheirNonce()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        CommandService service = rig.NewCommandService();

        // Commands i and i + 30 have different idempotency keys but the same business key: one nonce between them.
        string[] ids = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() =>
            service.SubmitAsync(PipelineRig.ExecCommand(s_target, [$"k-{i % 30}"], $"batch-{i}")))));

        LedgerAccount account = (await rig.Ledger.GetAccountAsync(rig.Lane))!;
        Assert.Equal(30UL, account.NextNonce - account.FirstNonce);
        List<LedgerTransaction> rows = await rig.Ledger.GetTransactionsAsync(rig.Lane, account.FirstNonce);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => account.FirstNonce + (ulong)i), rows.Select(r => r.Nonce));
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"oracle/k-{i}").Order(), rows.Select(r => r.BusinessKey).Order());
        for (int i = 0; i < 30; i++)
        {
            string first = await RangesAsync(rig, ids[i]);
            Assert.Equal(first, await RangesAsync(rig, ids[i + 30]));
            LedgerTransaction row = Assert.Single(rows, r => r.BusinessKey == $"oracle/k-{i}");
            Assert.Equal($"{row.Nonce}-{row.Nonce}", first);
        }
    }

    [Fact]
    public async Task CommandsRefusedAtAdmission_Throw400Errors_LeaveNoRow_AndTakeNoNonce()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        var service = new CommandService(rig.Commands, rig.Ledger, rig.Rpc, rig.Lane, [new IntentListPlanner()], admissions: [new RefuseOddKeys()]);

        Task<string>[] submissions = [.. Enumerable.Range(0, 20).Select(i => Task.Run(() => service.SubmitAsync(PipelineRig.ExecCommand(s_target, [$"a-{i}"], $"adm-{i}"))))];
        await Task.WhenAll(submissions.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

        for (int i = 0; i < 20; i++)
        {
            string id = CommandKeys.IdFor($"adm-{i}");
            if (i % 2 == 1)
            {
                CommandValidationException refused = await Assert.ThrowsAsync<CommandValidationException>(() => submissions[i]);
                Assert.Equal([$"odd: oracle/a-{i}"], refused.Errors["admission"]);
                Assert.False((await rig.Commands.GetEntityIfExistsAsync<TableEntity>(id, "command")).HasValue);
            }
            else
            {
                Assert.Equal(id, await submissions[i]);
                Assert.True((await rig.Commands.GetEntityAsync<TableEntity>(id, "command")).Value.GetBoolean("Planned"));
            }
        }

        LedgerAccount account = (await rig.Ledger.GetAccountAsync(rig.Lane))!;
        List<LedgerTransaction> rows = await rig.Ledger.GetTransactionsAsync(rig.Lane, account.FirstNonce);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"oracle/a-{i * 2}").Order(), rows.Select(r => r.BusinessKey).Order());
        Assert.Equal(10UL, account.NextNonce - account.FirstNonce);
    }

    private static async Task<string> RangesAsync(PipelineRig rig, string id) =>
        (await rig.Commands.GetEntityAsync<TableEntity>(id, "command")).Value.GetString("Ranges")!;

    // Refuses commands whose only business key ends in an odd number.
    private sealed class RefuseOddKeys : ICommandAdmission
    {
        public Task AdmitAsync(IReadOnlyList<PlannedCommand> batch, CancellationToken cancellationToken)
        {
            foreach (PlannedCommand command in batch)
            {
                string key = command.Intents.Single().BusinessKey!;
                if ((key[^1] - '0') % 2 == 1)
                {
                    command.Reject(new Dictionary<string, string[]> { ["admission"] = [$"odd: {key}"] });
                }
            }

            return Task.CompletedTask;
        }
    }
}
