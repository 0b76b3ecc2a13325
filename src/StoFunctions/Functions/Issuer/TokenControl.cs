using System.Text.Json;
using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.Tokens;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Issuer;

/// <summary>
/// The shape every issuer control shares: <c>POST /api/tokens/{token}/{route}</c>, a body of named members
/// (empty allowed), one transaction to the token. Subclasses validate their members and build the calldata.
/// </summary>
public abstract class TokenControl(IssuerChain chain) : ICommandPlanner
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>The members the body may have (besides <c>idempotencyKey</c>).</summary>
    protected abstract IReadOnlyList<string> Members { get; }

    /// <summary>The issuer's chain.</summary>
    protected IssuerChain Chain => chain;

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        Address? token = reader.Address("token");
        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty member in input.EnumerateObject().Where(m => m.Name != "token" && !Members.Contains(m.Name)))
            {
                reader.Add(member.Name, $"Unknown member; {Name} takes {(Members.Count == 0 ? "no members" : string.Join(", ", Members))}.");
            }
        }

        reader.ThrowIfInvalid();
        int? decimals = await TokenReads.DecimalsAsync(chain.Rpc, token!.Value, cancellationToken).ConfigureAwait(false);
        if (decimals is null)
        {
            reader.Add("token", $"No token contract answers decimals() at {token}; check the address.");
            reader.ThrowIfInvalid();
        }

        (byte[] data, string note) = await BuildAsync(reader, token.Value, decimals!.Value, cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();

        // The estimate is also the last check: whatever rule the contract enforces that the members' checks did
        // not (e.g. a forced transfer's KYC rule on the receiver) refuses the command here with its decoded error.
        ulong gas = await GasLimits.EstimateAsync(Chain, reader, RefusalField, new CallRequest { To = token, Data = data }, note, cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();
        return [new TransactionIntent { To = token, Data = data, GasLimit = gas, Note = note }];
    }

    /// <summary>The member a refusal of the transaction by the contract is reported on (e.g. <c>to</c> for a transfer).</summary>
    protected virtual string RefusalField => "token";

    /// <summary>Validates the members and returns calldata and note (errors go to <paramref name="reader"/>).</summary>
    protected abstract Task<(byte[] Data, string Note)> BuildAsync(InputReader reader, Address token, int decimals, CancellationToken cancellationToken);
}
