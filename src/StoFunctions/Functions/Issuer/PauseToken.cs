using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;

namespace StoFunctions.Functions.Issuer;

/// <summary><c>POST /api/tokens/{token}/pause</c>: stop holder transfers and mints.</summary>
public sealed class PauseToken(IssuerChain chain) : TokenControl(chain)
{
    /// <inheritdoc />
    public override string Name => "pause";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Members { get; } = [];

    /// <summary><c>POST /api/tokens/{token}/pause</c>.</summary>
    [Function("PauseToken")]
    public static Task<IResult> PauseTokenAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/pause")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "pause", bodyOptional: true, ("token", token));

    /// <inheritdoc />
    protected override Task<(byte[] Data, string Note)> BuildAsync(InputReader reader, Address token, int decimals, CancellationToken cancellationToken) =>
        Task.FromResult((SecurityTokenContract.Pause(), "pause"));
}
