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

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder api) => api.MapPost("tokens/{token}/transfers", (string token, HttpContext context) =>
        CommandEndpoint.SubmitBodyAsync(context, "transfer", bodyOptional: false, ("token", token))).WithName("TransferTokens");

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        Address? token = reader.Address("token");
        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty member in input.EnumerateObject().Where(m => m.Name is not ("token" or "externalId" or "to" or "amount" or "email" or "name")))
            {
                reader.Add(member.Name, "Unknown member; a transfer has externalId, to, amount, email and name.");
            }
        }

        if (reader.Member("to") is null)
        {
            reader.Add("to", "Required: the receiving address.");
        }

        reader.ThrowIfInvalid();
        var row = new JsonObject();
        foreach (JsonProperty member in input.EnumerateObject().Where(m => m.Name != "token"))
        {
            row[member.Name] = JsonNode.Parse(member.Value.GetRawText());
        }

        return await DistributionPlan.PlanAsync(chain, reader, token, [new DistributionPlan.Row("", JsonSerializer.SerializeToElement(row), AddressField: "to")], cancellationToken).ConfigureAwait(false);
    }
}
