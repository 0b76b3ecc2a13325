using System.CommandLine;

namespace StoFunctions.Cli;

/// <summary>The options of every state-changing command.</summary>
public sealed class SubmitOptionSet
{
    /// <summary><c>--idempotency-key</c>.</summary>
    public Option<string?> IdempotencyKey { get; } = new("--idempotency-key") { Description = "same key + same body = the same command (safe to re-run); another body with it is refused (409)" };

    /// <summary><c>--no-wait</c>.</summary>
    public Option<bool> NoWait { get; } = new("--no-wait") { Description = "print the command id after the 202 and return (follow it with: sto command wait ID)" };

    /// <summary><c>--timeout</c>.</summary>
    public Option<int?> Timeout { get; } = new("--timeout") { Description = "stop waiting after this many seconds (exit 1; the command goes on)" };

    /// <summary>The values given.</summary>
    public SubmitOptions Read(ParseResult result) => new(
        result.GetValue(IdempotencyKey),
        result.GetValue(NoWait),
        result.GetValue(Timeout) is int seconds ? TimeSpan.FromSeconds(seconds) : null);
}
