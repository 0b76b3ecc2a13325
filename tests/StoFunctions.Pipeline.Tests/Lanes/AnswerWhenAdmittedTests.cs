using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>
/// <see cref="CommandRequest.AnswerWhenAdmitted"/> (the HTTP intake): the submission answers once the command is
/// persisted and admitted, its nonces are allocated after that, and a refusal found only after the answer fails the
/// command instead of removing it. Refusals found before the answer still answer with their errors.
/// </summary>
public sealed class AnswerWhenAdmittedTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_submission_answers_before_the_allocation_ends_and_the_command_completes_after_it()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        string[] ids = [.. Enumerable.Range(0, 120).Select(i => "answered-" + i)];
        using var release = new SemaphoreSlim(0);
        using var allocated = new SemaphoreSlim(0);
        CommandRequest request = PipelineRig.ExecCommand(oracle, ids, "answered") with
        {
            AnswerWhenAdmitted = true,
            // Holds the allocation after its first chunk: the answer must not wait for the rest.
            FirstNoncesWritten = () => release.Wait(),
            Allocated = () => allocated.Release(),
        };

        string id = await rig.NewCommandService().SubmitAsync(request).WaitAsync(s_timeout);

        CommandStatus accepted = await rig.StatusAsync(id);
        Assert.Equal(CommandRuntimeStatus.Pending, accepted.RuntimeStatus);
        Assert.Null(accepted.Output);
        Assert.Equal(0, allocated.CurrentCount);

        release.Release();
        Assert.True(await allocated.WaitAsync(s_timeout), "the allocation did not finish after the answer");
        CommandStatus planned = await WaitUntilAsync(rig, id, s => s.RuntimeStatus != CommandRuntimeStatus.Pending);
        Assert.Equal(ids.Length, planned.Output!.Transactions.Count);
        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);
        Assert.Equal(CommandRuntimeStatus.Completed, (await rig.StatusAsync(id)).RuntimeStatus);
        await rig.AssertInvariantsAsync(oracle, ids);
    }

    [Fact]
    public async Task A_refused_admission_still_answers_with_its_errors_and_leaves_nothing()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        var service = new CommandService(rig.Commands, rig.Ledger, rig.Rpc, rig.Lane, [new IntentListPlanner()], admissions: [new RejectingAdmission()]);
        CommandRequest request = PipelineRig.ExecCommand(oracle, ["r-1"], "rejected") with { AnswerWhenAdmitted = true };

        CommandValidationException refused = await Assert.ThrowsAsync<CommandValidationException>(() => service.SubmitAsync(request));

        Assert.Equal(["Rejected by the test's admission."], refused.Errors["transactions"]);
        Assert.Null(await service.GetStatusAsync(CommandKeys.IdFor("rejected")));
        Assert.Empty(await rig.Ledger.GetCommandNoncesAsync(rig.Lane, CommandKeys.IdFor("rejected")));
    }

    [Fact]
    public async Task A_business_key_that_holds_other_content_is_still_refused_before_the_answer()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        var service = new CommandService(rig.Commands, rig.Ledger, rig.Rpc, rig.Lane, [new ContentPlanner(keysFoundAbsent: false)]);
        string first = await service.SubmitAsync(WithContent(PipelineRig.ExecCommand(oracle, ["shared"], "first"), "amount 1"));

        CommandRequest second = WithContent(PipelineRig.ExecCommand(oracle, ["shared", "own"], "second"), "amount 2") with { AnswerWhenAdmitted = true };
        BusinessKeyConflictException refused = await Assert.ThrowsAsync<BusinessKeyConflictException>(() => service.SubmitAsync(second));

        Assert.Equal([first], refused.ExistingCommandIds);
        Assert.Equal("oracle/shared", Assert.Single(refused.Conflicts).BusinessKey);
        Assert.Null(await service.GetStatusAsync(CommandKeys.IdFor("second")));
        Assert.Empty(await rig.Ledger.GetCommandNoncesAsync(rig.Lane, CommandKeys.IdFor("second")));
    }

    [Fact]
    public async Task A_business_key_found_taken_after_the_answer_fails_the_command_with_the_reason_and_sends_nothing_for_it()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        // The planner reports the keys absent, as one that read them before another command took them would.
        var service = new CommandService(rig.Commands, rig.Ledger, rig.Rpc, rig.Lane, [new ContentPlanner(keysFoundAbsent: true)]);
        string first = await service.SubmitAsync(WithContent(PipelineRig.ExecCommand(oracle, ["shared"], "first"), "amount 1"));

        CommandRequest second = WithContent(PipelineRig.ExecCommand(oracle, ["shared", "own"], "second"), "amount 2") with { AnswerWhenAdmitted = true };
        string id = await service.SubmitAsync(second).WaitAsync(s_timeout);

        CommandStatus failed = await WaitUntilAsync(rig, id, s => s.RuntimeStatus != CommandRuntimeStatus.Pending);
        Assert.Equal(CommandRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.StartsWith("Refused after it was accepted, nothing was sent: ", failed.Error, StringComparison.Ordinal);
        Assert.Contains("oracle/shared", failed.Error, StringComparison.Ordinal);
        Assert.Empty(failed.Output!.Transactions);
        Assert.Empty(await rig.Ledger.GetCommandNoncesAsync(rig.Lane, id));
        Assert.Single(await rig.Ledger.GetCommandNoncesAsync(rig.Lane, first));
        Assert.Equal(0, await service.ResumePendingAsync());

        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), s_timeout);
        await rig.AssertInvariantsAsync(oracle, ["shared"]);
    }

    [Fact]
    public async Task An_interrupted_command_that_may_have_been_answered_is_failed_not_removed_when_its_replan_is_refused()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        Address oracle = await rig.DeployOracleAsync();
        var failing = new CommandService(rig.Commands, rig.Ledger, rig.Rpc, rig.Lane, [new IntentListPlanner()], admissions: [new FailingAdmission()]);
        CommandRequest request = PipelineRig.ExecCommand(oracle, ["gone-1"], "gone") with { AnswerWhenAdmitted = true };
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.SubmitAsync(request));
        string id = CommandKeys.IdFor("gone");
        Assert.Equal(CommandRuntimeStatus.Pending, (await rig.StatusAsync(id)).RuntimeStatus);

        var sweep = new CommandService(rig.Commands, rig.Ledger, rig.Rpc, rig.Lane, [new IntentListPlanner()], admissions: [new RejectingAdmission()]);
        Assert.Equal(1, await sweep.ResumePendingAsync());

        CommandStatus status = (await sweep.GetStatusAsync(id))!;
        Assert.Equal(CommandRuntimeStatus.Failed, status.RuntimeStatus);
        Assert.Equal("Refused after it was accepted, nothing was sent: transactions: Rejected by the test's admission.", status.Error);
        Assert.Empty(await rig.Ledger.GetCommandNoncesAsync(rig.Lane, id));
        Assert.Equal(0, await sweep.ResumePendingAsync());
    }

    private static async Task<CommandStatus> WaitUntilAsync(PipelineRig rig, string id, Func<CommandStatus, bool> done)
    {
        using var cancel = new CancellationTokenSource(s_timeout);
        while (true)
        {
            CommandStatus status = await rig.StatusAsync(id);
            if (done(status))
            {
                return status;
            }

            await Task.Delay(50, cancel.Token);
        }
    }

    // Carries a content for the intents' business keys (a distribution row's values), in the input's "content".
    private static CommandRequest WithContent(CommandRequest request, string content) => PipelineRig.WithInputMember(request, "content", content);

    private sealed class ContentPlanner(bool keysFoundAbsent) : ICommandPlanner
    {
        private readonly IntentListPlanner _inner = new();

        public string Name => _inner.Name;

        public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
        {
            string content = input.GetProperty("content").GetString()!;
            var withoutContent = System.Text.Json.Nodes.JsonNode.Parse(input.GetRawText())!.AsObject();
            withoutContent.Remove("content");
            IReadOnlyList<TransactionIntent> intents = await _inner.PlanAsync(JsonSerializer.SerializeToElement(withoutContent), cancellationToken);
            return [.. intents.Select(i => i with { Content = content, KeyAbsentWhenPlanned = keysFoundAbsent })];
        }
    }
}
