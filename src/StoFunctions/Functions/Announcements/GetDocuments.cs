using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Functions.Tokens;
using StoFunctions.Hosting;

namespace StoFunctions.Functions.Announcements;

/// <summary>
/// <c>GET /api/tokens/{token}/documents</c>: the token's ISIN, URL and ERC-1643 documents; and
/// <c>GET /api/tokens/{token}/announcements</c>: every <c>Announced</c> event.
/// </summary>
public static class GetDocuments
{
    /// <summary><c>GET /api/tokens/{token}/documents</c>.</summary>
    [Function("GetDocuments")]
    public static Task<IResult> GetDocumentsAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tokens/{token}/documents")] HttpRequest request, string token, CancellationToken cancellationToken) =>
        DocumentsAsync(token, request.HttpContext.RequestServices.GetRequiredService<Platform>(), cancellationToken);

    /// <summary><c>GET /api/tokens/{token}/announcements</c>.</summary>
    [Function("GetAnnouncements")]
    public static Task<IResult> GetAnnouncementsAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tokens/{token}/announcements")] HttpRequest request, string token, CancellationToken cancellationToken) =>
        AnnouncementsAsync(token, request.HttpContext.RequestServices.GetRequiredService<Platform>(), cancellationToken);

    private static async Task<IResult> DocumentsAsync(string token, Platform platform, CancellationToken cancellationToken)
    {
        if (await CheckAsync(token, platform.Rpc, cancellationToken).ConfigureAwait(false) is (null, IResult problem))
        {
            return problem;
        }

        Address address = Address.Parse(token);
        JsonRpcClient rpc = platform.Rpc;
        string isin = SecurityTokenContract.DecodeIsin(await TokenReads.CallAsync(rpc, address, SecurityTokenContract.Isin(), cancellationToken).ConfigureAwait(false));
        string url = SecurityTokenContract.DecodeUrl(await TokenReads.CallAsync(rpc, address, SecurityTokenContract.Url(), cancellationToken).ConfigureAwait(false));
        var documents = new List<Document>();
        foreach (Hash32 name in SecurityTokenContract.DecodeGetAllDocuments(await TokenReads.CallAsync(rpc, address, SecurityTokenContract.GetAllDocuments(), cancellationToken).ConfigureAwait(false)))
        {
            var d = SecurityTokenContract.DecodeGetDocument(await TokenReads.CallAsync(rpc, address, SecurityTokenContract.GetDocument(name), cancellationToken).ConfigureAwait(false));
            documents.Add(new Document(ActionInput.FromBytes32(name), d.Uri, d.DocumentHash.ToString(), ActionReads.IsoTime((ulong)d.LastModified)));
        }

        return Results.Json(new DocumentList(address.ToString(), isin, url, documents), GetCommand.Json);
    }

    private static async Task<IResult> AnnouncementsAsync(string token, Platform platform, CancellationToken cancellationToken)
    {
        if (await CheckAsync(token, platform.Rpc, cancellationToken).ConfigureAwait(false) is (null, IResult problem))
        {
            return problem;
        }

        Address address = Address.Parse(token);
        var announcements = new List<Announcement>();
        foreach (LogEntry log in await ActionReads.LogsAsync(platform.Rpc, address, SecurityTokenContract.AnnouncedTopic, cancellationToken).ConfigureAwait(false))
        {
            var e = SecurityTokenContract.DecodeAnnouncedEvent(log.Topics, log.Data);
            announcements.Add(new Announcement((ulong)e.Id, e.Kind.ToString(), ActionInput.FromBytes32(e.Name), e.Uri, e.ContentHash.ToString(), log.BlockNumber ?? 0, log.TransactionHash?.ToString()));
        }

        return Results.Json(new AnnouncementList(address.ToString(), announcements), GetCommand.Json);
    }

    private static async Task<(Address?, IResult?)> CheckAsync(string token, JsonRpcClient rpc, CancellationToken cancellationToken)
    {
        if (!Address.TryParse(token, out Address address))
        {
            return (null, Problems.Result(400, $"'{EchoText.Bounded(token)}' is not a valid token address (0x + 40 hex digits; mixed case must pass EIP-55).", CommandEndpoint.Errors("token", "Not a valid address.")));
        }

        return await ActionReads.CurrentSnapshotIdAsync(rpc, address, default, cancellationToken).ConfigureAwait(false) is null
            ? (null, Problems.Result(404, $"No SecurityToken answers at {address}."))
            : (address, null);
    }

    /// <summary>The documents body.</summary>
    /// <param name="Token">EIP-55 token address.</param>
    /// <param name="Isin">The ISIN ("" when unset).</param>
    /// <param name="Url">The token's URL.</param>
    /// <param name="Documents">ERC-1643 documents.</param>
    public sealed record DocumentList(string Token, string Isin, string Url, IReadOnlyList<Document> Documents);

    /// <summary>One document.</summary>
    /// <param name="Name">The name (bytes32 as text).</param>
    /// <param name="Uri">Where it is.</param>
    /// <param name="Hash">Its hash.</param>
    /// <param name="LastModified">ISO 8601 UTC.</param>
    public sealed record Document(string Name, string Uri, string Hash, string LastModified);

    /// <summary>The announcements body.</summary>
    /// <param name="Token">EIP-55 token address.</param>
    /// <param name="Announcements">Oldest first.</param>
    public sealed record AnnouncementList(string Token, IReadOnlyList<Announcement> Announcements);

    /// <summary>One announcement.</summary>
    /// <param name="Id">Its id.</param>
    /// <param name="Kind">Its kind (a decimal string).</param>
    /// <param name="Name">Its name.</param>
    /// <param name="Uri">Its document.</param>
    /// <param name="ContentHash">The document's hash.</param>
    /// <param name="BlockNumber">The block that announced it.</param>
    /// <param name="TransactionHash">The announcing transaction.</param>
    public sealed record Announcement(ulong Id, string Kind, string Name, string Uri, string ContentHash, ulong BlockNumber, string? TransactionHash);
}
