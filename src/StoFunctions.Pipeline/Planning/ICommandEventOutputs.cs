namespace StoFunctions.Pipeline.Planning;

/// <summary>
/// Implemented by a planner whose command creates something the chain numbers (a snapshot, a payout, a ballot):
/// the command's status reads these values from the receipts of its mined transactions.
/// </summary>
public interface ICommandEventOutputs
{
    /// <summary>The values to read, each into its own member of <c>output</c>.</summary>
    IReadOnlyList<EventOutput> EventOutputs { get; }
}
