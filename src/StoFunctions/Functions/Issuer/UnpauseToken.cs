using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;

namespace StoFunctions.Functions.Issuer;

/// <summary><c>POST /api/tokens/{token}/unpause</c>: allow transfers again.</summary>
public sealed class UnpauseToken(IssuerChain chain) : TokenControl(chain)
{
    /// <inheritdoc />
    public override string Name => "unpause";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Members { get; } = [];

    /// <summary><c>POST /api/tokens/{token}/unpause</c>.</summary>
    [Function("UnpauseToken")]
    public static Task<IResult> UnpauseTokenAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/unpause")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "unpause", bodyOptional: true, ("token", token));

    /// <inheritdoc />
    protected override Task<(byte[] Data, string Note)> BuildAsync(InputReader reader, Address token, int decimals, CancellationToken cancellationToken) =>
        Task.FromResult((SecurityTokenContract.Unpause(), "unpause"));
}
