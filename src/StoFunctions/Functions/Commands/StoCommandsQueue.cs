using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Functions.Orchestration;
using StoFunctions.Functions.Distributions;
using StoFunctions.Functions.Tokens;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Planning;
using Azure.Storage.Queues.Models;
using StoFunctions.Runtime;

namespace StoFunctions.Functions.Commands;

/// <summary>
/// Queue <c>sto-commands</c>: <c>{ "command", "idempotencyKey", "payload" }</c>, the same commands and
/// validation as HTTP (<c>payload</c> carries the route's <c>token</c> or <c>registry</c> too). The command id
/// derives from the idempotency key, so the status is at <c>GET /api/commands/{id}</c>. A message that can
/// never succeed (malformed, invalid, or its key used with another body) goes to <c>sto-commands-poison</c>:
/// the local host moves it there at once on <see cref="PoisonMessageException"/>, the Functions host after
/// host.json <c>maxDequeueCount</c> attempts.
/// </summary>
public sealed class StoCommandsQueue(Platform platform, LaneWaker waker)
{
    /// <summary>Submits the command one message carries.</summary>
    [Function(nameof(StoCommandsQueue))]
    public async Task RunAsync([QueueTrigger(Platform.CommandsQueue, Connection = "AzureWebJobsStorage")] QueueMessage message, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        // The same strict reader as HTTP: a duplicated member or a lone surrogate is refused here, naming the
        // member (e.g. payload.amount), instead of one of the values being sent.
        StrictJson.Result parsed = StrictJson.Parse(message.Body.ToMemory().Span);
        if (!parsed.Valid)
        {
            throw new PoisonMessageException($"The message is invalid at '{parsed.Field}': {parsed.Error}");
        }

        JsonObject envelope = parsed.Node as JsonObject ?? throw new PoisonMessageException("The message is not a JSON object; send {\"command\", \"idempotencyKey\", \"payload\"}.");

        string command = envelope["command"] is JsonValue c && c.TryGetValue(out string? name) && name.Length > 0
            ? name
            : throw new PoisonMessageException("The message has no \"command\" string (e.g. \"issue\", \"distribute\", \"transfer\").");
        string key = envelope["idempotencyKey"] is JsonValue k && k.TryGetValue(out string? text) && text.Length is > 0 and <= CommandEndpoint.MaxKeyLength
            ? text
            : throw new PoisonMessageException("The message has no \"idempotencyKey\" string (1 to 200 characters); queued commands need one so a redelivery does not repeat them.");
        if (envelope["payload"] is not JsonObject payload)
        {
            throw new PoisonMessageException("The message has no \"payload\" object.");
        }

        if (command == "distribute")
        {
            payload = Distribute.Canonical(payload);
        }

        try
        {
            string id = await platform.Commands.SubmitAsync(new CommandRequest(command, key, JsonSerializer.SerializeToElement(payload)), cancellationToken).ConfigureAwait(false);
            if (CommandInstances.HasOwnInstance(command))
            {
                await CommandInstances.StartAsync(durable, id, cancellationToken).ConfigureAwait(false);
            }

            await waker.WakeAsync(durable, cancellationToken).ConfigureAwait(false);
            if (command == "issue")
            {
                await IssueToken.RecordAsync(platform, id, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (CommandValidationException e)
        {
            throw new PoisonMessageException($"The {command} command is invalid: {e.Message}", e);
        }
        catch (CommandConflictException e)
        {
            throw new PoisonMessageException($"The idempotency key was already used with a different {command} body.", e);
        }
        catch (BusinessKeyConflictException e)
        {
            throw new PoisonMessageException($"The {command} command conflicts with earlier transfers: {e.Message}", e);
        }
    }
}
