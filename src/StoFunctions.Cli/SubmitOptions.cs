namespace StoFunctions.Cli;

/// <summary>How a state-changing command is sent and followed.</summary>
/// <param name="IdempotencyKey">Sent as <c>Idempotency-Key</c>: the same key and body give the same command.</param>
/// <param name="NoWait">Print the id and return after the 202.</param>
/// <param name="Timeout">Stop waiting after this (exit 1; the command goes on); null waits until it ends.</param>
public sealed record SubmitOptions(string? IdempotencyKey, bool NoWait, TimeSpan? Timeout);
