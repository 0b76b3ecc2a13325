namespace StoFunctions.Ethereum;

/// <summary>Malformed or non-canonical RLP. The message names the problem and the byte offset.</summary>
public sealed class RlpException : Exception
{
    /// <summary>Creates an exception for a problem at byte <paramref name="position"/> of the input.</summary>
    public RlpException(string message, int position)
        : base($"Invalid RLP at byte {position}: {message}")
    {
        Position = position;
    }

    /// <summary>Byte offset in the decoded input where the problem starts.</summary>
    public int Position { get; }
}
