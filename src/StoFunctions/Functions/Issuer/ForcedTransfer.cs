using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.Tokens;

namespace StoFunctions.Functions.Issuer;

/// <summary><c>POST /api/tokens/{token}/forced-transfers</c> <c>{ from, to, amount }</c>: move tokens without the holder (skips pause, freeze and rules; the receiver must pass KYC).</summary>
public sealed class ForcedTransfer(IssuerChain chain) : TokenControl(chain)
{
    /// <inheritdoc />
    public override string Name => "forced-transfer";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Members { get; } = ["from", "to", "amount"];

    /// <inheritdoc />
    protected override string RefusalField => "to";

    /// <summary><c>POST /api/tokens/{token}/forced-transfers</c>.</summary>
    [Function("ForcedTransfer")]
    public static Task<IResult> ForcedTransferAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/forced-transfers")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "forced-transfer", bodyOptional: true, ("token", token));

    /// <inheritdoc />
    protected override async Task<(byte[] Data, string Note)> BuildAsync(InputReader reader, Address token, int decimals, CancellationToken cancellationToken)
    {
        Address from = reader.Address("from") ?? Address.Zero;
        Address to = reader.Address("to") ?? Address.Zero;
        UInt256 amount = reader.Amount("amount", decimals) ?? UInt256.Zero;
        if (reader.Valid)
        {
            UInt256 balance = await TokenReads.BalanceAsync(Chain.Rpc, token, from, cancellationToken).ConfigureAwait(false);
            if (amount > balance)
            {
                reader.Add("amount", $"{from} holds {AmountText.Format(balance, decimals)}; cannot move {AmountText.Format(amount, decimals)}.");
            }
        }

        return (SecurityTokenContract.ForcedTransfer(from, to, amount), $"forced transfer {AmountText.Format(amount, decimals)}");
    }
}
