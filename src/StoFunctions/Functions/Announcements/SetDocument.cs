using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Functions.Issuer;

namespace StoFunctions.Functions.Announcements;

/// <summary><c>POST /api/tokens/{token}/documents</c> <c>{ name, uri, hash? }</c>: ERC-1643 <c>setDocument</c> (adds or replaces the named document).</summary>
public sealed class SetDocument(IssuerChain chain) : TokenControl(chain)
{
    /// <inheritdoc />
    public override string Name => "document-set";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Members { get; } = ["name", "uri", "hash"];

    /// <summary><c>POST /api/tokens/{token}/documents</c>.</summary>
    [Function("SetDocument")]
    public static Task<IResult> SetDocumentAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/documents")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "document-set", bodyOptional: true, ("token", token));

    /// <inheritdoc />
    protected override Task<(byte[] Data, string Note)> BuildAsync(InputReader reader, Address token, int decimals, CancellationToken cancellationToken)
    {
        Hash32 name = ActionInput.Name(reader, "name") ?? Hash32.Zero;
        string uri = reader.Uri("uri", required: true) ?? "";
        Hash32 hash = ActionInput.Hash(reader, "hash");
        return Task.FromResult((SecurityTokenContract.SetDocument(name, uri, hash), "set a document"));
    }
}
