using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Hosting;

namespace StoFunctions.Functions.Modules;

/// <summary>
/// <c>GET /api/modules/{module}</c>: what a module asks for before anyone attaches it — its <c>name()</c>, the
/// parent it is written for (<c>getOwner()</c>) and its <c>getPermissions()</c>, every hook and permission decoded
/// to its seed 002 name and signature (null when unknown; an attach then fails with <c>UnknownHook</c> or
/// <c>UnknownPermission</c>). An attach request repeats <c>permissions</c> (selectors or signatures) exactly.
/// </summary>
public static class GetModule
{
    /// <summary><c>GET /api/modules/{module}</c>.</summary>
    [Function("GetModule")]
    public static async Task<IResult> GetModuleAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "modules/{module}")] HttpRequest request, string module, CancellationToken cancellationToken)
    {
        if (!Address.TryParse(module, out Address address))
        {
            return Problems.Result(400, $"'{EchoText.Bounded(module)}' is not a module address.", CommandEndpoint.Errors("module", "Expected 0x and 40 hex digits, all lower case or with a valid EIP-55 checksum."));
        }

        JsonRpcClient rpc = request.HttpContext.RequestServices.GetRequiredService<Platform>().Rpc;
        ulong head = await rpc.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
        ModuleReads.Declaration? declared = await ModuleReads.DeclarationAsync(rpc, address, head, cancellationToken).ConfigureAwait(false);
        if (declared is null)
        {
            bool hasCode = (await rpc.GetCodeAsync(address, head, cancellationToken).ConfigureAwait(false)).Length > 0;
            return Problems.Result(404, hasCode
                    ? $"{address} does not answer getPermissions(); it is not a seed 002 module."
                    : $"There is no contract at {address} on this chain; pass the address module-deploy returned (output.moduleAddress).",
                CommandEndpoint.Errors("module", hasCode ? "Does not answer getPermissions()." : "No contract at this address."));
        }

        return Results.Json(
            new ModuleInfo(
                address.ToString(),
                declared.Name,
                declared.Owner?.ToString(),
                head,
                [.. declared.Hooks.Select(h => Describe(h, ModuleSelectors.Hook(h)))],
                [.. declared.Permissions.Select(p => Describe(p, ModuleSelectors.Permission(p)))]),
            GetCommand.Json);
    }

    private static Entry Describe(string selector, ModuleSelectors.Known? known) => new(selector, known?.Signature, known?.Name);

    /// <summary>The answer.</summary>
    /// <param name="Address">EIP-55 module address.</param>
    /// <param name="Name">Its <c>name()</c>.</param>
    /// <param name="Owner">Its <c>getOwner()</c>: the token, IssuingEntity or Custodian it must be attached to.</param>
    /// <param name="AtBlock">The block read.</param>
    /// <param name="Hooks">The hooks it asks the parent to call.</param>
    /// <param name="Permissions">The parent methods it asks to call.</param>
    public sealed record ModuleInfo(string Address, string? Name, string? Owner, ulong AtBlock, IReadOnlyList<Entry> Hooks, IReadOnlyList<Entry> Permissions);

    /// <summary>One hook or permission.</summary>
    /// <param name="Selector">0x + 8 hex digits.</param>
    /// <param name="Signature">Its seed 002 signature, null when unknown.</param>
    /// <param name="Name">E.g. <c>IssuerModule.checkTransfer</c> or <c>SecurityToken.transferFrom</c>.</param>
    public sealed record Entry(string Selector, string? Signature, string? Name);
}
