using System.Text.Json;
using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Modules;

/// <summary>
/// Where a module attach or detach goes: the IssuingEntity, with the target its module sits on — a token (the
/// <c>token</c> member, whose <c>issuingEntity()</c> names the entity) or the issuer itself (<c>entity</c>).
/// </summary>
/// <param name="Entity">The IssuingEntity the transaction is sent to.</param>
/// <param name="Target">The token, or the entity for an issuer-level module.</param>
/// <param name="Field">The request member the target came from (errors are keyed by it).</param>
public sealed record ModuleTarget(Address Entity, Address Target, string Field)
{
    /// <summary>Reads <c>token</c> xor <c>entity</c>; a token without an IssuingEntity is a 409 naming the fix.</summary>
    /// <exception cref="CommandValidationException">Invalid members (400) or a token without an entity (409).</exception>
    public static async Task<ModuleTarget> ReadAsync(IssuerChain chain, InputReader reader, JsonElement input, IReadOnlyList<string> members, CancellationToken cancellationToken)
    {
        bool hasToken = reader.Member("token") is not null;
        Address? token = hasToken ? reader.Address("token") : null;
        Address? entity = hasToken ? null : reader.Address("entity");
        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty member in input.EnumerateObject().Where(m => m.Name is not ("token" or "entity") && !members.Contains(m.Name)))
            {
                reader.Add(member.Name, $"Unknown member; takes {string.Join(", ", members)}.");
            }
        }

        reader.ThrowIfInvalid();
        if (entity is { } e)
        {
            if ((await chain.Rpc.GetCodeAsync(e, cancellationToken: cancellationToken).ConfigureAwait(false)).Length == 0)
            {
                reader.Add("entity", $"No contract at {e}; pass the address entity-deploy returned (output.entityAddress).");
                reader.ThrowIfInvalid();
            }

            return new ModuleTarget(e, e, "entity");
        }

        Address? linked = await ModuleReads.IssuingEntityAsync(chain.Rpc, token!.Value, Ethereum.Rpc.BlockParameter.Latest, cancellationToken).ConfigureAwait(false);
        if (linked is null)
        {
            reader.Add("token", $"{token} does not answer issuingEntity(); it is not a SecurityToken of this build.");
            reader.ThrowIfInvalid();
        }

        if (linked == Address.Zero)
        {
            throw new CommandValidationException(
                new Dictionary<string, string[]> { ["token"] = [$"Token {token} has no IssuingEntity; its modules live there (seed 002). Deploy one (POST /api/issuing-entities) and link the token (POST /api/issuing-entities/{{entity}}/tokens with {{\"token\": \"{token}\"}}), then attach again."] },
                409);
        }

        return new ModuleTarget(linked!.Value, token.Value, "token");
    }
}
