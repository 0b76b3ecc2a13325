using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// An interrupted command that its planner refuses when the sweep (<see cref="CommandService.ResumePendingAsync"/>)
/// plans it again: the ledger decides what it is, and the sweep goes on to the other pending commands instead of
/// throwing on every round.
/// </summary>
public sealed class ResumeRefusedTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    [Fact]
    public async Task A_refused_command_with_nothing_allocated_is_removed_and_the_next_pending_one_is_still_planned()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        var planner = new RefusingPlanner();

        // The batch fails after each command row is written (storage trouble at admission): both stay pending.
        CommandService failing = Service(rig, planner, new FailingAdmission());
        string[] keys = ["refused", "kept"];
        foreach (string key in keys)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => failing.SubmitAsync(PipelineRig.ExecCommand(oracle, [key + "-1", key + "-2"], key)));
            Assert.Equal(CommandRuntimeStatus.Pending, (await rig.StatusAsync(CommandKeys.IdFor(key))).RuntimeStatus);
        }

        // Before the sweep runs, the first command's input stops holding.
        planner.Refused.Add("oracle/refused-1");
        CommandService sweep = Service(rig, planner);
        Assert.Equal(2, await sweep.ResumePendingAsync());

        Assert.Null(await sweep.GetStatusAsync(CommandKeys.IdFor("refused")));
        Assert.Empty(await rig.Ledger.GetCommandNoncesAsync(rig.Lane, CommandKeys.IdFor("refused")));
        CommandStatus kept = (await sweep.GetStatusAsync(CommandKeys.IdFor("kept")))!;
        Assert.Equal(CommandRuntimeStatus.Running, kept.RuntimeStatus);
        Assert.Equal(2, kept.Output!.Transactions.Count);
        Assert.Equal(0, await sweep.ResumePendingAsync());

        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), TimeSpan.FromSeconds(30));
        Assert.Equal(CommandRuntimeStatus.Completed, (await sweep.GetStatusAsync(CommandKeys.IdFor("kept")))!.RuntimeStatus);
        await rig.AssertInvariantsAsync(oracle, ["kept-1", "kept-2"]);
    }

    [Fact]
    public async Task A_refused_command_whose_transactions_were_allocated_is_planned_with_them_and_sent_once()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        var planner = new RefusingPlanner();
        FaultInjector faults = FaultInjector.Throwing();
        faults.Arm(CrashPoint.AfterNonceAllocation);
        await Assert.ThrowsAsync<SimulatedCrashException>(() => Service(rig, planner, faults: faults).SubmitAsync(PipelineRig.ExecCommand(oracle, ["a", "b", "c"], "allocated")));
        string id = CommandKeys.IdFor("allocated");
        List<ulong> allocated = await rig.Ledger.GetCommandNoncesAsync(rig.Lane, id);
        Assert.Equal(3, allocated.Count);
        Assert.Equal(CommandRuntimeStatus.Pending, (await rig.StatusAsync(id)).RuntimeStatus);

        planner.Refused.Add("oracle/b");
        CommandService sweep = Service(rig, planner);
        Assert.Equal(1, await sweep.ResumePendingAsync());
        Assert.Equal(0, await sweep.ResumePendingAsync());

        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), TimeSpan.FromSeconds(30));
        CommandStatus status = (await sweep.GetStatusAsync(id))!;
        Assert.Equal(CommandRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(allocated, [.. status.Output!.Transactions.Select(t => t.Nonce)]);
        await rig.AssertInvariantsAsync(oracle, ["a", "b", "c"]);
    }

    private static CommandService Service(PipelineRig rig, ICommandPlanner planner, ICommandAdmission? admission = null, FaultInjector? faults = null) =>
        new(rig.Commands, rig.Ledger, rig.Rpc, rig.Lane, [planner], faults, admissions: admission is null ? null : [admission]);

    // The generic transactions planner, refusing any command that carries one of the listed business keys.
    private sealed class RefusingPlanner : ICommandPlanner
    {
        private readonly IntentListPlanner _inner = new();

        public HashSet<string> Refused { get; } = new(StringComparer.Ordinal);

        public string Name => _inner.Name;

        public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
        {
            IReadOnlyList<TransactionIntent> intents = await _inner.PlanAsync(input, cancellationToken);
            return intents.FirstOrDefault(i => i.BusinessKey is { } key && Refused.Contains(key)) is { } refused
                ? throw new CommandValidationException(new Dictionary<string, string[]> { ["transactions"] = [$"{refused.BusinessKey} no longer holds."] })
                : intents;
        }
    }
}
