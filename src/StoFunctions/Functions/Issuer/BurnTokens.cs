using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.Tokens;

namespace StoFunctions.Functions.Issuer;

/// <summary><c>POST /api/tokens/{token}/burn</c> <c>{ from?, amount }</c>: burn from an account (the issuer by default); at most its balance.</summary>
public sealed class BurnTokens(IssuerChain chain) : TokenControl(chain)
{
    /// <inheritdoc />
    public override string Name => "burn";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Members { get; } = ["from", "amount"];

    /// <summary><c>POST /api/tokens/{token}/burn</c>.</summary>
    [Function("BurnTokens")]
    public static Task<IResult> BurnTokensAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/burn")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "burn", bodyOptional: true, ("token", token));

    /// <inheritdoc />
    protected override async Task<(byte[] Data, string Note)> BuildAsync(InputReader reader, Address token, int decimals, CancellationToken cancellationToken)
    {
        Address from = reader.Member("from") is null ? Chain.Issuer : reader.Address("from") ?? Chain.Issuer;
        UInt256 amount = reader.Amount("amount", decimals) ?? UInt256.Zero;
        if (reader.Valid)
        {
            UInt256 balance = await TokenReads.BalanceAsync(Chain.Rpc, token, from, cancellationToken).ConfigureAwait(false);
            if (amount > balance)
            {
                reader.Add("amount", $"{from} holds {AmountText.Format(balance, decimals)}; cannot burn {AmountText.Format(amount, decimals)}.");
            }
        }

        return (SecurityTokenContract.Burn(from, amount), $"burn {AmountText.Format(amount, decimals)}");
    }
}
