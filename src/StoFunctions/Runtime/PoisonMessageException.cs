namespace StoFunctions.Runtime;

/// <summary>
/// Thrown by a queue function for a message that can never succeed (malformed JSON, unknown command). The local
/// host moves it to <c>&lt;queue&gt;-poison</c> at once, with its original text, and logs
/// <see cref="Exception.Message"/> as the reason; the Azure Functions host knows no such shortcut and retries it
/// <c>maxDequeueCount</c> times (host.json) before the same poison queue.
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
