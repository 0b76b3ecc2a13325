using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Functions.Orchestration;

/// <summary>What one <see cref="CommandProgressActivity"/> run read from the ledger for the command orchestration.</summary>
/// <param name="Found">False when the command row does not exist (e.g. storage was lost); the orchestration then ends without output.</param>
/// <param name="Terminal">True when every transaction of the command is terminal (Completed or Failed).</param>
/// <param name="Progress">The counts per state: the orchestration's <c>customStatus</c>.</param>
/// <param name="Output">The command output, set only when <paramref name="Terminal"/> (it is the orchestration's output then).</param>
/// <param name="Ended">The command's first nonces that had all ended, where the next read starts (null: from the first).</param>
public sealed record CommandPoll(bool Found, bool Terminal, CommandProgress? Progress, CommandOutput? Output, EndedPrefix? Ended = null);
