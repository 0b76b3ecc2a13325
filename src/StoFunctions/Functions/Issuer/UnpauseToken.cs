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

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder api) => MapControl(api, "unpause", "unpause");

    /// <inheritdoc />
    protected override Task<(byte[] Data, string Note)> BuildAsync(InputReader reader, Address token, int decimals, CancellationToken cancellationToken) =>
        Task.FromResult((SecurityTokenContract.Unpause(), "unpause"));
}
