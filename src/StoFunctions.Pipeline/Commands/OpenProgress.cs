namespace StoFunctions.Pipeline.Commands;

/// <summary>A running command's counts (its <c>customStatus</c>) and where its next progress read may start.</summary>
/// <param name="Progress">The counts of all its transactions.</param>
/// <param name="Ended">Its first nonces that have ended, or null when its first nonce is still open.</param>
public sealed record OpenProgress(CommandProgress Progress, EndedPrefix? Ended);
