using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>An admission that fails (storage trouble): the batch's command rows are written and stay pending.</summary>
internal sealed class FailingAdmission : ICommandAdmission
{
    public Task AdmitAsync(IReadOnlyList<PlannedCommand> batch, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("storage is unavailable (simulated)");
}
