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

    /// <summary>
    /// Creates the exception with per-field errors and the HTTP status it answers with: 409 when the input is
    /// fine but the state it meets is not (e.g. the contract a command would adopt is not what it should be).
    /// </summary>
    public CommandValidationException(IReadOnlyDictionary<string, string[]> errors, int status)
        : this(errors)
    {
        Status = status;
    }

    /// <summary>The HTTP status of the refusal: 400 unless the creator said otherwise.</summary>
    public int Status { get; } = 400;

    /// <summary>Field (or <c>row N</c>) → messages.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }
}
