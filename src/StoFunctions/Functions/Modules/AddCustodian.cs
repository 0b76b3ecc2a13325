using System.Text.Json;
using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Modules;

/// <summary>
/// <c>POST /api/issuing-entities/{entity}/custodians</c> <c>{ custodian }</c> [entity-custodian]: registers a
/// Custodian with the issuer (<c>addCustodian</c>): tokens sent to it are credited to the sender's investor ID in
/// its books, and the cap table shows its holding with its beneficial owners.
/// </summary>
public sealed class AddCustodian(IssuerChain chain) : ICommandPlanner
{
    /// <inheritdoc />
    public string Name => "entity-custodian";

    /// <summary><c>POST /api/issuing-entities/{entity}/custodians</c>.</summary>
    [Function("AddCustodian")]
    public static Task<IResult> AddCustodianAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "issuing-entities/{entity}/custodians")] HttpRequest request, string entity, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "entity-custodian", bodyOptional: false, ("entity", entity));

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        Address? entity = reader.Address("entity");
        Address? custodian = reader.Address("custodian");
        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty member in input.EnumerateObject().Where(m => m.Name is not ("entity" or "custodian")))
            {
                reader.Add(member.Name, "Unknown member; registering a custodian takes custodian.");
            }
        }

        reader.ThrowIfInvalid();
        if ((await chain.Rpc.GetCodeAsync(custodian!.Value, cancellationToken: cancellationToken).ConfigureAwait(false)).Length == 0)
        {
            reader.Add("custodian", $"No contract at {custodian}; a custodian is a deployed Custodian contract.");
            reader.ThrowIfInvalid();
        }

        byte[] data = IssuingEntityContract.AddCustodian(custodian.Value);
        string note = $"register custodian {custodian}";
        ulong gas = await GasLimits.EstimateAsync(chain, reader, "custodian", new CallRequest { To = entity, Data = data }, note, cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();
        return [new TransactionIntent { To = entity, Data = data, GasLimit = gas, Note = note }];
    }
}
