using System.Text.Json;

namespace StoFunctions.Pipeline.Planning;

/// <summary>
/// Turns a command's input into transaction intents. Must be a pure function of the input (and of chain facts
/// that do not change, like a token's decimals): after a crash the command is re-planned from its stored input
/// and intents whose business key already holds a nonce are skipped.
/// </summary>
public interface ICommandPlanner
{
    /// <summary>The command name this planner serves, e.g. <c>distribute</c>.</summary>
    string Name { get; }

    /// <summary>Validates <paramref name="input"/> and returns the intents in execution order.</summary>
    /// <exception cref="CommandValidationException">The input is invalid; nothing is persisted.</exception>
    Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken);
}
