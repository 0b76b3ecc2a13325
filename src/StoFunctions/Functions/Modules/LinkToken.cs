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
/// <c>POST /api/issuing-entities/{entity}/tokens</c> <c>{ token }</c> [entity-token]: makes the token one of the
/// entity's: <c>token.setIssuingEntity(entity)</c> (once per token; the token's admin, i.e. the issuer) and
/// <c>entity.addToken(token)</c>, on consecutive nonces. A token linked to another entity, or already to this
/// one, is a 409.
/// </summary>
public sealed class LinkToken(IssuerChain chain) : ICommandPlanner
{
    /// <summary>
    /// Gas for <c>addToken</c> when it follows <c>setIssuingEntity</c> in the same command (it cannot be estimated
    /// before the link is mined: it checks the link). A first token of an entity with eight issuer modules uses
    /// under 150,000; this leaves a margin for the issuer modules' hook masks.
    /// </summary>
    public const ulong AddTokenGas = 300_000;

    /// <inheritdoc />
    public string Name => "entity-token";

    /// <summary><c>POST /api/issuing-entities/{entity}/tokens</c>.</summary>
    [Function("LinkToken")]
    public static Task<IResult> LinkTokenAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "issuing-entities/{entity}/tokens")] HttpRequest request, string entity, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "entity-token", bodyOptional: false, ("entity", entity));

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        Address? entity = reader.Address("entity");
        Address? token = reader.Address("token");
        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty member in input.EnumerateObject().Where(m => m.Name is not ("entity" or "token")))
            {
                reader.Add(member.Name, "Unknown member; linking a token takes token.");
            }
        }

        reader.ThrowIfInvalid();
        byte[]?[] answers = await CorporateActions.ActionReads.CallManyAsync(chain.Rpc, [(entity!.Value, IssuingEntityContract.IsToken(token!.Value))], BlockParameter.Latest, cancellationToken).ConfigureAwait(false);
        if (answers[0] is not { Length: >= 32 } isToken)
        {
            reader.Add("entity", $"{entity} does not answer isToken(address); pass the address entity-deploy returned (output.entityAddress).");
            reader.ThrowIfInvalid();
            return [];
        }

        Address? linked = await ModuleReads.IssuingEntityAsync(chain.Rpc, token.Value, BlockParameter.Latest, cancellationToken).ConfigureAwait(false);
        if (linked is null)
        {
            reader.Add("token", $"{token} does not answer issuingEntity(); it is not a SecurityToken of this build.");
            reader.ThrowIfInvalid();
        }

        if (IssuingEntityContract.DecodeIsToken(isToken) || (linked != Address.Zero && linked != entity))
        {
            string why = linked == entity ? $"is already a token of {entity}" : $"is linked to another IssuingEntity, {linked}; a token's entity is set once";
            throw new CommandValidationException(new Dictionary<string, string[]> { ["token"] = [$"Token {token} {why}. Nothing was planned."] }, 409);
        }

        var intents = new List<TransactionIntent>();
        byte[] add = IssuingEntityContract.AddToken(token.Value);
        if (linked == Address.Zero)
        {
            byte[] link = SecurityTokenContract.SetIssuingEntity(entity.Value);
            ulong linkGas = await GasLimits.EstimateAsync(chain, reader, "token", new CallRequest { To = token, Data = link }, "name the token's IssuingEntity", cancellationToken).ConfigureAwait(false);
            reader.ThrowIfInvalid();
            intents.Add(new TransactionIntent { To = token, Data = link, GasLimit = linkGas, Note = $"name IssuingEntity {entity} on the token" });
            intents.Add(new TransactionIntent { To = entity, Data = add, GasLimit = AddTokenGas, Note = $"add token {token} to the IssuingEntity" });
            return intents;
        }

        ulong addGas = await GasLimits.EstimateAsync(chain, reader, "token", new CallRequest { To = entity, Data = add }, "add the token to the IssuingEntity", cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();
        return [new TransactionIntent { To = entity, Data = add, GasLimit = addGas, Note = $"add token {token} to the IssuingEntity" }];
    }
}
