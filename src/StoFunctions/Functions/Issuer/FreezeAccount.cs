using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;

namespace StoFunctions.Functions.Issuer;

/// <summary><c>POST /api/tokens/{token}/freezes</c> <c>{ address, frozen? (default true) }</c>: freeze or unfreeze an address.</summary>
public sealed class FreezeAccount(IssuerChain chain) : TokenControl(chain)
{
    /// <inheritdoc />
    public override string Name => "freeze";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Members { get; } = ["address", "frozen"];

    /// <summary><c>POST /api/tokens/{token}/freezes</c>.</summary>
    [Function("FreezeAccount")]
    public static Task<IResult> FreezeAccountAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/freezes")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "freeze", bodyOptional: true, ("token", token));

    /// <inheritdoc />
    protected override Task<(byte[] Data, string Note)> BuildAsync(InputReader reader, Address token, int decimals, CancellationToken cancellationToken)
    {
        Address account = reader.Address("address") ?? Address.Zero;
        bool frozen = true;
        if (reader.Member("frozen") is { } f)
        {
            if (f.ValueKind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)
            {
                frozen = f.GetBoolean();
            }
            else
            {
                reader.Add("frozen", "Must be true or false.");
            }
        }

        return Task.FromResult((SecurityTokenContract.SetAddressFrozen(account, frozen), frozen ? "freeze an address" : "unfreeze an address"));
    }
}
