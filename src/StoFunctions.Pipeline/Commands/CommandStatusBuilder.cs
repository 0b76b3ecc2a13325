using System.Text.Json;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Commands;

/// <summary>Builds a command's status from its ledger rows (pure).</summary>
internal static class CommandStatusBuilder
{
    public const string Rejected = "Rejected";

    /// <summary>Whether a row (its state, and whether the node rejected it) has ended: a command is over when all have.</summary>
    public static bool Ended((TransactionState State, bool Rejected) row) => row.Rejected || TransactionStates.IsTerminal(row.State);

    /// <summary>
    /// The counts of a command's <paramref name="rows"/> (each its state and whether the node rejected it) out of
    /// <paramref name="nonceCount"/> nonces: a rejected row and a nonce consumed externally count as failed.
    /// </summary>
    public static CommandProgress Progress(IReadOnlyList<(TransactionState State, bool Rejected)> rows, int nonceCount)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int count(TransactionState state) => rows.Count(r => !r.Rejected && r.State == state);
        int failed = rows.Count(r => r.Rejected || r.State is TransactionState.Failed or TransactionState.NonceConsumedExternally);
        return new CommandProgress(Math.Max(rows.Count, nonceCount), count(TransactionState.Planned), count(TransactionState.Signed), count(TransactionState.Broadcast),
            count(TransactionState.Mined), count(TransactionState.Confirmed), failed);
    }

    /// <param name="id">The command id.</param>
    /// <param name="name">The command name.</param>
    /// <param name="input">The command input.</param>
    /// <param name="planned">Whether the command's nonces were allocated.</param>
    /// <param name="nonceCount">How many nonces the command row lists.</param>
    /// <param name="rows">The ledger rows read at those nonces.</param>
    /// <param name="created">When the command was accepted.</param>
    /// <param name="commandUpdated">When the command row last changed.</param>
    /// <param name="refusal">Why the command was refused after it was accepted (it has no transaction), or null.</param>
    public static CommandStatus Build(string id, string name, JsonElement input, bool planned, int nonceCount, IReadOnlyList<LedgerTransaction> rows, DateTimeOffset created, DateTimeOffset commandUpdated, string? refusal = null)
    {
        (TransactionState State, bool Rejected)[] states = [.. rows.Select(r => (r.State, r.RejectedError is not null))];
        CommandProgress progress = Progress(states, nonceCount);
        int failed = progress.Failed;
        // Fewer rows than nonces means ledger rows were lost (a restored backup, a table emptied while the app ran):
        // the rows present say nothing about the missing ones, so the command is not over until reconciliation has
        // rebuilt them from the chain. Answering Completed here let an orchestration end with the partial output
        // and serve it for good.
        bool rowsMissing = planned && rows.Count < nonceCount;
        bool allTerminal = !rowsMissing && states.All(Ended);
        CommandRuntimeStatus runtime = refusal is not null ? CommandRuntimeStatus.Failed
            : !planned ? CommandRuntimeStatus.Pending
            : !allTerminal ? CommandRuntimeStatus.Running
            : failed == 0 ? CommandRuntimeStatus.Completed
            : CommandRuntimeStatus.Failed;

        CommandOutput? output = null;
        if (planned)
        {
            output = new CommandOutput
            {
                Transactions = [.. rows.OrderBy(r => r.Nonce).Select(r => new CommandTransaction(
                    r.Nonce,
                    (r.MinedHash ?? r.LatestHash)?.ToString(),
                    r.RejectedError is not null ? Rejected : r.State.ToString(),
                    r.Note,
                    r.ContractAddress?.ToString(),
                    r.RejectedError ?? r.Error))],
            };
            foreach (LedgerTransaction r in rows.Where(r => r.OutputName is not null && r.ContractAddress is not null && r.RejectedError is null))
            {
                output.Addresses[r.OutputName!] = r.ContractAddress!.Value.ToString();
            }
        }

        string? error = refusal is not null ? refusal
            : runtime == CommandRuntimeStatus.Failed
            ? rows.Where(r => r.RejectedError is not null || r.State is TransactionState.Failed or TransactionState.NonceConsumedExternally)
                .Select(r => $"nonce {r.Nonce}: {r.RejectedError ?? r.Error ?? r.State.ToString()}").First()
            : null;
        DateTimeOffset updated = rows.Count == 0 ? commandUpdated : rows.Max(r => r.UpdatedTime) is var u && u > commandUpdated ? u : commandUpdated;
        return new CommandStatus
        {
            Id = id,
            Name = name,
            RuntimeStatus = runtime,
            Input = input,
            CustomStatus = progress,
            Output = output,
            Error = error,
            CreatedTime = created,
            LastUpdatedTime = updated,
        };
    }
}
