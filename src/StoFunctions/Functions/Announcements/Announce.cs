using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Functions.Issuer;

namespace StoFunctions.Functions.Announcements;

/// <summary>
/// <c>POST /api/tokens/{token}/announcements</c> <c>{ name, uri, kind? (0), contentHash? }</c>: the token's
/// <c>announce</c>, an event only (no per-announcement contract as sto's IIC needed); listed by
/// <c>GET /api/tokens/{token}/announcements</c>.
/// </summary>
public sealed class Announce(IssuerChain chain) : TokenControl(chain)
{
    /// <inheritdoc />
    public override string Name => "announce";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Members { get; } = ["name", "uri", "kind", "contentHash"];

    /// <summary><c>POST /api/tokens/{token}/announcements</c>.</summary>
    [Function("Announce")]
    public static Task<IResult> AnnounceAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/announcements")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "announce", bodyOptional: true, ("token", token));

    /// <inheritdoc />
    protected override Task<(byte[] Data, string Note)> BuildAsync(InputReader reader, Address token, int decimals, CancellationToken cancellationToken)
    {
        Hash32 name = ActionInput.Name(reader, "name") ?? Hash32.Zero;
        string uri = reader.Uri("uri", required: true) ?? "";
        long kind = reader.Integer("kind", 0, long.MaxValue) ?? 0;
        Hash32 hash = ActionInput.Hash(reader, "contentHash");
        return Task.FromResult((SecurityTokenContract.Announce((UInt256)(ulong)kind, name, uri, hash), "announce"));
    }
}
