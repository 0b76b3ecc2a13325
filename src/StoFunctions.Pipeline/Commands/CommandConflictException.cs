namespace StoFunctions.Pipeline.Commands;

/// <summary>The idempotency key is already used by a command with a different name or body (HTTP 409).</summary>
public sealed class CommandConflictException : PipelineException
{
    /// <summary>Creates the exception for the existing command.</summary>
    public CommandConflictException(string commandId, string idempotencyKey)
        : base($"Idempotency key '{idempotencyKey}' already belongs to command {commandId} with a different name or body. Reuse a key only to repeat the identical request, or choose a new key.")
    {
        CommandId = commandId;
    }

    /// <summary>The command that owns the key.</summary>
    public string CommandId { get; }
}
