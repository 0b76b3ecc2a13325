using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.Issuer;
using StoFunctions.Functions.Tokens;

namespace StoFunctions.Functions.Announcements;

/// <summary>
/// <c>POST /api/tokens/{token}/information</c> <c>{ isin, url? }</c>: <c>setTokenInformation</c>; the ISIN must pass
/// ISO 6166 (<see cref="Isin"/>), an absent <c>url</c> keeps the token's current one.
/// </summary>
public sealed class SetTokenInformation(IssuerChain chain) : TokenControl(chain)
{
    /// <inheritdoc />
    public override string Name => "token-information";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Members { get; } = ["isin", "url"];

    /// <summary><c>POST /api/tokens/{token}/information</c>.</summary>
    [Function("SetTokenInformation")]
    public static Task<IResult> SetTokenInformationAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/information")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "token-information", bodyOptional: true, ("token", token));

    /// <inheritdoc />
    protected override async Task<(byte[] Data, string Note)> BuildAsync(InputReader reader, Address token, int decimals, CancellationToken cancellationToken)
    {
        string? isin = reader.String("isin", maxLength: 12);
        if (isin is not null && !Isin.TryValidate(isin, out string? error))
        {
            reader.Add("isin", error);
        }

        string url = reader.Member("url") is null
            ? SecurityTokenContract.DecodeUrl(await TokenReads.CallAsync(Chain.Rpc, token, SecurityTokenContract.Url(), cancellationToken).ConfigureAwait(false))
            : reader.Uri("url", required: false) ?? "";
        return (SecurityTokenContract.SetTokenInformation(url, isin ?? ""), $"set the ISIN to {isin}");
    }
}
