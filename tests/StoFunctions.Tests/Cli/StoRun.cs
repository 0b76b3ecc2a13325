using System.Text.Json;

namespace StoFunctions.Tests.Cli;

/// <summary>One finished run of <c>sto</c>: exit code, stdout and stderr.</summary>
public sealed record StoRun(int ExitCode, string Out, string Error)
{
    /// <summary>stdout parsed as JSON (for <c>--json</c> runs).</summary>
    public JsonElement Json()
    {
        using JsonDocument doc = JsonDocument.Parse(Out);
        return doc.RootElement.Clone();
    }

    /// <inheritdoc/>
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
