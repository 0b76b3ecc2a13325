using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Pipeline.Commands;

/// <summary>
/// Some intents of a command have business keys that already hold transactions with other content (HTTP 409);
/// nothing of the command was planned.
/// </summary>
public sealed class BusinessKeyConflictException : PipelineException
{
    /// <summary>Creates the exception for <paramref name="conflicts"/> (at least one).</summary>
    public BusinessKeyConflictException(IReadOnlyList<BusinessKeyConflict> conflicts)
        : base($"{conflicts.Count} business key(s) already belong to other content; first: {conflicts[0].Message}")
    {
        Conflicts = conflicts;
    }

    /// <summary>The conflicting intents.</summary>
    public IReadOnlyList<BusinessKeyConflict> Conflicts { get; }

    /// <summary>The commands that hold the keys.</summary>
    public IReadOnlyList<string> ExistingCommandIds => [.. Conflicts.Select(c => c.ExistingCommandId).Distinct(StringComparer.Ordinal)];

    /// <summary>Field → messages, for problem details (a field without name is reported as <c>businessKey</c>).</summary>
    public Dictionary<string, string[]> Errors =>
        Conflicts.GroupBy(c => c.Field ?? "businessKey", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(c => c.Message).ToArray(), StringComparer.Ordinal);
}
