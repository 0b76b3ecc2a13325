namespace StoFunctions.Ethereum;

/// <summary>A raw transaction is malformed or breaks a protocol rule. The message names the field and byte offset.</summary>
public sealed class TransactionException : Exception
{
    /// <summary>Creates the exception; <paramref name="position"/> is the byte offset in the raw transaction, when known.</summary>
    public TransactionException(string message, int? position = null, Exception? innerException = null)
        : base(position is { } p ? $"Invalid transaction at byte {p}: {message}" : $"Invalid transaction: {message}", innerException)
    {
        Position = position;
    }

    /// <summary>Byte offset in the raw transaction where the problem starts, when known.</summary>
    public int? Position { get; }
}
