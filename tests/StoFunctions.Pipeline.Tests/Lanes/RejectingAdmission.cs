using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>An admission that refuses every command of a batch, as a balance that does not cover them would.</summary>
internal sealed class RejectingAdmission : ICommandAdmission
{
    public const string Message = "Rejected by the test's admission.";

    public Task AdmitAsync(IReadOnlyList<PlannedCommand> batch, CancellationToken cancellationToken)
    {
        foreach (PlannedCommand command in batch)
        {
            command.Reject(new Dictionary<string, string[]> { ["transactions"] = [Message] });
        }

        return Task.CompletedTask;
    }
}
