using Microsoft.DurableTask.Client;
using System.Text.Json.Nodes;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Functions.Issuer;
using StoFunctions.Functions.Tokens;

namespace StoFunctions.Functions.Announcements;

/// <summary><c>DELETE /api/tokens/{token}/documents/{name}</c>: ERC-1643 <c>removeDocument</c>; an unknown name is refused before planning.</summary>
public sealed class RemoveDocument(IssuerChain chain) : TokenControl(chain)
{
    /// <inheritdoc />
    public override string Name => "document-remove";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Members { get; } = ["name"];

    /// <summary><c>DELETE /api/tokens/{token}/documents/{name}</c>.</summary>
    [Function("RemoveDocument")]
    public static Task<IResult> RemoveDocumentAsync([HttpTrigger(AuthorizationLevel.Function, "delete", Route = "tokens/{token}/documents/{name}")] HttpRequest request, string token, string name, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitAsync(request.HttpContext, durable, "document-remove", new JsonObject { ["token"] = token, ["name"] = name });

    /// <inheritdoc />
    protected override async Task<(byte[] Data, string Note)> BuildAsync(InputReader reader, Address token, int decimals, CancellationToken cancellationToken)
    {
        Hash32? name = ActionInput.Name(reader, "name");
        if (name is Hash32 n)
        {
            var document = SecurityTokenContract.DecodeGetDocument(await TokenReads.CallAsync(Chain.Rpc, token, SecurityTokenContract.GetDocument(n), cancellationToken).ConfigureAwait(false));
            if (document.LastModified.IsZero)
            {
                reader.Add("name", $"{token} has no document named '{ActionInput.FromBytes32(n)}'; GET /api/tokens/{token}/documents lists them.");
            }
        }

        return (SecurityTokenContract.RemoveDocument(name ?? Hash32.Zero), "remove a document");
    }
}
