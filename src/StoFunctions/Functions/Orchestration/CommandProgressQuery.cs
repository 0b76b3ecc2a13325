using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Functions.Orchestration;

/// <summary>The input of <see cref="CommandProgressActivity"/>: the command, and what its previous read found ended.</summary>
/// <param name="CommandId">The command id.</param>
/// <param name="Ended">The previous read's <see cref="CommandPoll.Ended"/> (null on the first read).</param>
public sealed record CommandProgressQuery(string CommandId, EndedPrefix? Ended);
