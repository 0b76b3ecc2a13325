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
    private readonly TaskCompletionSource _admitted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _answered;

    internal PlannedCommand(string id, string name, JsonElement input, IReadOnlyList<TransactionIntent> intents, CommandRequest? request = null, bool answered = false)
    {
        _answered = answered;
        Id = id;
        Name = name;
        Input = input;
        Intents = intents;
        FirstNoncesWritten = request?.FirstNoncesWritten;
        Allocated = request?.Allocated;
        AnswerWhenAdmitted = request?.AnswerWhenAdmitted ?? false;
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

    /// <summary>
    /// Refuses the command: nothing is allocated, and the submitter gets a 400 with <paramref name="errors"/>; its row
    /// is removed, or marked Failed with them when a submitter was already answered (a resumed command).
    /// </summary>
    public void Reject(IReadOnlyDictionary<string, string[]> errors) => Rejection = errors;

    internal Action? FirstNoncesWritten { get; }

    internal Action? Allocated { get; }

    internal bool AnswerWhenAdmitted { get; }

    // Its submitter may have been told it is accepted (answered when admitted, now or before a crash): a refusal from
    // here on fails the command for good instead of removing its row, so its status URL keeps answering why.
    internal bool Answered => _answered || (AnswerWhenAdmitted && _admitted.Task.IsCompletedSuccessfully);

    // Planned: the nonces are allocated and the row says so.
    internal Task Completion => _done.Task;

    // Admitted: its batch's admission passed (completes with Completion at the latest, so a waiter never hangs).
    internal Task Admission => _admitted.Task;

    internal void Admit() => _admitted.TrySetResult();

    internal void Complete()
    {
        _admitted.TrySetResult();
        _done.TrySetResult();
    }

    internal void Fail(Exception error)
    {
        _admitted.TrySetException(error);
        _done.TrySetException(error);
    }
}
