namespace StoFunctions.Pipeline.Planning;

/// <summary>A command's input is invalid (a 400 with problem details); <see cref="Errors"/> maps fields or rows to messages.</summary>
public sealed class CommandValidationException : PipelineException
{
    /// <summary>Creates the exception with per-field errors.</summary>
    public CommandValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base("The command input is invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
    {
        Errors = errors;
    }

    /// <summary>Field (or <c>row N</c>) → messages.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }
}
