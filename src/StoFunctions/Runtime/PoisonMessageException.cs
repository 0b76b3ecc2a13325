namespace StoFunctions.Runtime;

/// <summary>
/// Thrown by a queue function for a message that can never succeed (malformed JSON, unknown command): the
/// runtime moves it to <c>&lt;queue&gt;-poison</c> at once, with its original text, instead of retrying it
/// <c>maxDequeueCount</c> times, and logs <see cref="Exception.Message"/> as the reason.
/// </summary>
public sealed class PoisonMessageException : Exception
{
    /// <summary>Creates the exception with the reason the message cannot be processed (logged; no PII or secrets).</summary>
    public PoisonMessageException(string reason)
        : base(reason)
    {
    }

    /// <summary>Creates the exception with the reason and the error that revealed it.</summary>
    public PoisonMessageException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }
}
