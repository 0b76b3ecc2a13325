namespace StoFunctions.Pipeline.Commands;

/// <summary>
/// How far a command had ended at a progress read: its first <paramref name="Rows"/> nonces, in the order its command
/// row lists them, had all ended, the last of them <paramref name="Through"/>; <paramref name="Confirmed"/> of them
/// confirmed and <paramref name="Failed"/> failed, as <see cref="CommandStatusBuilder.Progress"/> counts them. The next
/// read starts after them (<see cref="CommandService.GetOpenProgressAsync"/>), so a large command's polls read the rows
/// still open, not every row each time. A row that ended reopens only after a reorg deeper than the confirmations, and
/// then only these counts are stale: whether the command has ended is always decided by its full status.
/// </summary>
/// <param name="Rows">How many of the command's first nonces had ended (at least one).</param>
/// <param name="Through">The last of them; a command row planned again with other nonces does not match it.</param>
/// <param name="Confirmed">How many of them are confirmed.</param>
/// <param name="Failed">How many of them failed (rejected, failed, or consumed by another transaction).</param>
public sealed record EndedPrefix(int Rows, ulong Through, int Confirmed, int Failed);
