using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.Tokens;

namespace StoFunctions.Functions.Issuer;

/// <summary><c>POST /api/tokens/{token}/mint</c> <c>{ to?, amount }</c>: mint (to the issuer by default); a restricted receiver is refused with the token's reason.</summary>
public sealed class MintTokens(IssuerChain chain) : TokenControl(chain)
{
    /// <inheritdoc />
    public override string Name => "mint";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Members { get; } = ["to", "amount"];

    /// <inheritdoc />
    protected override string RefusalField => "to";

    /// <summary><c>POST /api/tokens/{token}/mint</c>.</summary>
    [Function("MintTokens")]
    public static Task<IResult> MintTokensAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/mint")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "mint", bodyOptional: true, ("token", token));

    /// <inheritdoc />
    protected override async Task<(byte[] Data, string Note)> BuildAsync(InputReader reader, Address token, int decimals, CancellationToken cancellationToken)
    {
        Address to = reader.Member("to") is null ? Chain.Issuer : reader.Address("to") ?? Chain.Issuer;
        UInt256 amount = reader.Amount("amount", decimals) ?? UInt256.Zero;
        if (reader.Valid)
        {
            (byte code, string? message) = await TokenReads.DetectAsync(Chain.Rpc, token, Address.Zero, to, amount, cancellationToken).ConfigureAwait(false);
            if (code != 0)
            {
                reader.Add("to", $"The token refuses this mint (code {code}: {message}).");
            }
        }

        return (SecurityTokenContract.Mint(to, amount), $"mint {AmountText.Format(amount, decimals)}");
    }
}
