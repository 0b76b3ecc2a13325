namespace StoFunctions.Azure.Storage.Queues;

/// <summary>How message bodies are written to and read from the service's MessageText.</summary>
public enum QueueMessageEncoding
{
    /// <summary>base64 of the bytes: what the Azure Functions queue extension (5.x) expects by default.</summary>
    Base64,

    /// <summary>The text verbatim (must be valid XML character data).</summary>
    None,
}
