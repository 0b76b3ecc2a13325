using Microsoft.DurableTask.Client;
using System.Text.Json;
using System.Text.Json.Nodes;
using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.Distributions;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Transfers;

/// <summary>
/// <c>POST /api/tokens/{token}/transfers</c> [distribute-single]: one idempotent transfer from the issuer,
/// <c>{ externalId, to, amount, email?, name? }</c>, under the same business key <c>{token}/{externalId}</c>
/// as a distribution row, so a transfer already made by a distribution is not made again.
/// </summary>
public sealed class TransferTokens(IssuerChain chain) : ICommandPlanner
{
    /// <inheritdoc />
    public string Name => "transfer";

    /// <summary><c>POST /api/tokens/{token}/transfers</c>.</summary>
    [Function("TransferTokens")]
    public static Task<IResult> TransferTokensAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/transfers")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        HandleAsync(token, request.HttpContext, durable);

    // As SubmitBodyAsync, plus ?retryFailed=… (a JSON boolean in the input, like the body member).
    private static async Task<IResult> HandleAsync(string token, HttpContext context, DurableTaskClient durable)
    {
        (JsonObject? body, IResult? bad) = await CommandEndpoint.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bad!;
        }

        body["token"] = token;
        if (Distribute.RetryFailedQuery(context) is { } retryFailed)
        {
            body["retryFailed"] = retryFailed;
        }

        if (body["retryFailed"] is JsonValue no && no.GetValueKind() == JsonValueKind.False)
        {
            body.Remove("retryFailed");
        }

        return await CommandEndpoint.SubmitAsync(context, durable, "transfer", body, answerWhenAdmitted: true).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        Address? token = reader.Address("token");
        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty member in input.EnumerateObject().Where(m => m.Name is not ("token" or "externalId" or "to" or "amount" or "email" or "name" or "retryFailed")))
            {
                reader.Add(member.Name, "Unknown member; a transfer has externalId, to, amount, email, name and retryFailed.");
            }
        }

        if (reader.Member("to") is null)
        {
            reader.Add("to", "Required: the receiving address.");
        }

        bool retryFailed = Distribute.RetryFailed(reader, input);
        reader.ThrowIfInvalid();
        var row = new JsonObject();
        foreach (JsonProperty member in input.EnumerateObject().Where(m => m.Name is not ("token" or "retryFailed")))
        {
            row[member.Name] = JsonNode.Parse(member.Value.GetRawText());
        }

        return await DistributionPlan.PlanAsync(chain, reader, token, [new DistributionPlan.Row("", JsonSerializer.SerializeToElement(row), AddressField: "to")], cancellationToken, retryFailed).ConfigureAwait(false);
    }
}
