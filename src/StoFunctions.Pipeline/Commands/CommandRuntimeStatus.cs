namespace StoFunctions.Pipeline.Commands;

/// <summary>The Durable-Functions-like runtime status of a command (design/api.md).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<CommandRuntimeStatus>))]
public enum CommandRuntimeStatus
{
    /// <summary>Persisted, not yet planned into transactions.</summary>
    Pending,

    /// <summary>Planned; some transactions are not terminal yet.</summary>
    Running,

    /// <summary>Every transaction is Confirmed.</summary>
    Completed,

    /// <summary>Every transaction is terminal and at least one is not Confirmed.</summary>
    Failed,
}
