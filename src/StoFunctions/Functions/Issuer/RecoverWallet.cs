using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.Tokens;

namespace StoFunctions.Functions.Issuer;

/// <summary><c>POST /api/tokens/{token}/recoveries</c> <c>{ lostWallet, newWallet }</c>: move a lost wallet's whole balance and flags to an empty wallet.</summary>
public sealed class RecoverWallet(IssuerChain chain) : TokenControl(chain)
{
    /// <inheritdoc />
    public override string Name => "recovery";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Members { get; } = ["lostWallet", "newWallet"];

    /// <summary><c>POST /api/tokens/{token}/recoveries</c>.</summary>
    [Function("RecoverWallet")]
    public static Task<IResult> RecoverWalletAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/recoveries")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "recovery", bodyOptional: true, ("token", token));

    /// <inheritdoc />
    protected override async Task<(byte[] Data, string Note)> BuildAsync(InputReader reader, Address token, int decimals, CancellationToken cancellationToken)
    {
        Address lost = reader.Address("lostWallet") ?? Address.Zero;
        Address fresh = reader.Address("newWallet") ?? Address.Zero;
        if (reader.Valid)
        {
            if (lost == fresh)
            {
                reader.Add("newWallet", "Must differ from lostWallet.");
            }
            else if (await TokenReads.BalanceAsync(Chain.Rpc, token, fresh, cancellationToken).ConfigureAwait(false) != UInt256.Zero)
            {
                reader.Add("newWallet", $"{fresh} already holds tokens; recovery needs an empty wallet.");
            }
        }

        return (SecurityTokenContract.RecoveryAddress(lost, fresh), "recover a lost wallet");
    }
}
