using System.Text.Json;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Client;
using StoFunctions.Functions.Orchestration;
using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Tests.Functions.Orchestration;

public sealed class CommandInstanceStatusTests
{
    private static readonly AcceptedCommand s_accepted = new("cmd-1", "distribute", JsonDocument.Parse("{}").RootElement, DateTimeOffset.UnixEpoch);

    private static OrchestrationMetadata Completed(CommandOutput output, CommandProgress progress) => new(CommandOrchestrator.Name, "cmd-1")
    {
        RuntimeStatus = OrchestrationRuntimeStatus.Completed,
        SerializedOutput = JsonDataConverter.Default.Serialize(output),
        SerializedCustomStatus = JsonDataConverter.Default.Serialize(progress),
        DataConverter = JsonDataConverter.Default,
    };

    [Fact]
    public void A_completed_instance_with_transactions_answers_alone()
    {
        var output = new CommandOutput { Transactions = [new CommandTransaction(7, "0x01", "Confirmed", "transfer", null, null)] };
        CommandStatus status = CommandInstanceStatus.FromCompleted(Completed(output, new CommandProgress(1, 0, 0, 0, 0, 1, 0)), s_accepted)!;

        Assert.Equal(CommandRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(7UL, Assert.Single(status.Output!.Transactions).Nonce);
    }

    [Fact]
    public void A_completed_instance_without_transactions_leaves_the_answer_to_the_ledger()
    {
        // A command refused after its 202 has no transaction and no failed count; only its row says it Failed and why.
        Assert.Null(CommandInstanceStatus.FromCompleted(Completed(new CommandOutput { Transactions = [] }, new CommandProgress(0, 0, 0, 0, 0, 0, 0)), s_accepted));
    }
}
