namespace StoFunctions.Ethereum;

/// <summary>A key or signature is invalid, or a public key cannot be recovered from a signature.</summary>
public sealed class SignatureException : Exception
{
    /// <summary>Creates the exception with a message that names the problem and how to fix it.</summary>
    public SignatureException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the underlying cause.</summary>
    public SignatureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
