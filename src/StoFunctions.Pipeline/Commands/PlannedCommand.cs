using System.Text.Json;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Pipeline.Commands;

/// <summary>
/// A command that was validated, persisted and planned, waiting in its lane's submission batch for admission
/// (<see cref="ICommandAdmission"/>) and nonces.
/// </summary>
public sealed class PlannedCommand
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal PlannedCommand(string id, string name, JsonElement input, IReadOnlyList<TransactionIntent> intents, Action? firstNoncesWritten = null)
    {
        Id = id;
        Name = name;
        Input = input;
        Intents = intents;
        FirstNoncesWritten = firstNoncesWritten;
    }

    /// <summary>The command id.</summary>
    public string Id { get; }

    /// <summary>The command name.</summary>
    public string Name { get; }

    /// <summary>The command input.</summary>
    public JsonElement Input { get; }

    /// <summary>The intents its planner returned, in order.</summary>
    public IReadOnlyList<TransactionIntent> Intents { get; }

    /// <summary>The errors it was rejected with, or null while it is admitted.</summary>
    public IReadOnlyDictionary<string, string[]>? Rejection { get; private set; }

    /// <summary>Refuses the command: nothing is allocated, its row is removed and the submitter gets a 400 with <paramref name="errors"/>.</summary>
    public void Reject(IReadOnlyDictionary<string, string[]> errors) => Rejection = errors;

    internal Action? FirstNoncesWritten { get; }

    internal Task Completion => _done.Task;

    internal void Complete() => _done.TrySetResult();

    internal void Fail(Exception error) => _done.TrySetException(error);
}
