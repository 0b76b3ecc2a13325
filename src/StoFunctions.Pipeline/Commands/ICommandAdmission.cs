namespace StoFunctions.Pipeline.Commands;

/// <summary>
/// A last check of planned commands against state that concurrent submissions change, e.g. the issuer's balance
/// net of transfers already planned. <see cref="CommandService"/> calls it with one batch at a time per lane,
/// right before the batch's nonces are allocated, so commands admitted earlier are already in the ledger and
/// commands earlier in the same batch are visible in the batch itself.
/// </summary>
public interface ICommandAdmission
{
    /// <summary>Calls <see cref="PlannedCommand.Reject"/> on every command of <paramref name="batch"/> (in submission order) that may not proceed.</summary>
    Task AdmitAsync(IReadOnlyList<PlannedCommand> batch, CancellationToken cancellationToken);
}
