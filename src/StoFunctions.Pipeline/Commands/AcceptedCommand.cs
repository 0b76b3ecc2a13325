using System.Text.Json;

namespace StoFunctions.Pipeline.Commands;

/// <summary>A command's own row: what was accepted, without its transactions.</summary>
/// <param name="Id">The command id.</param>
/// <param name="Name">The command name, e.g. <c>issue</c>.</param>
/// <param name="Input">The stored input.</param>
/// <param name="CreatedTime">When the command was accepted.</param>
public sealed record AcceptedCommand(string Id, string Name, JsonElement Input, DateTimeOffset CreatedTime);
