using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Functions.Modules;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Functions.Reads;

/// <summary>
/// <c>GET /api/tokens/{token}/modules</c> [sto token-modules] and <c>GET /api/issuing-entities/{entity}/modules</c>:
/// the modules active on a token (its own, then its issuer's, both kept by its IssuingEntity) or on the issuer,
/// each with the hooks and permissions it declares (<c>getPermissions</c>, decoded to seed 002 names), every
/// permission confirmed with the parent's <c>isPermittedModule</c> (the entity keeps what a module declared at
/// its first attach, so <c>granted</c> is what counts), and the block and transaction of its last
/// <c>ModuleAttached</c> event.
/// </summary>
public static class GetTokenModules
{
    /// <summary><c>GET /api/tokens/{token}/modules</c>.</summary>
    [Function("GetTokenModules")]
    public static Task<IResult> GetTokenModulesAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tokens/{token}/modules")] HttpRequest request, string token, CancellationToken cancellationToken) =>
        HandleAsync(token, "token", request.HttpContext.RequestServices, cancellationToken);

    /// <summary><c>GET /api/issuing-entities/{entity}/modules</c>.</summary>
    [Function("GetIssuerModules")]
    public static Task<IResult> GetIssuerModulesAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "issuing-entities/{entity}/modules")] HttpRequest request, string entity, CancellationToken cancellationToken) =>
        HandleAsync(entity, "entity", request.HttpContext.RequestServices, cancellationToken);

    private static async Task<IResult> HandleAsync(string text, string field, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!Address.TryParse(text, out Address parent))
        {
            return Problems.Result(400, $"'{EchoText.Bounded(text)}' is not an address.", CommandEndpoint.Errors(field, "Expected 0x and 40 hex digits, all lower case or with a valid EIP-55 checksum."));
        }

        JsonRpcClient rpc = services.GetRequiredService<Platform>().Rpc;
        ScanStore scans = services.GetRequiredService<ScanStore>();
        ulong head = await rpc.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
        if ((await rpc.GetCodeAsync(parent, head, cancellationToken).ConfigureAwait(false)).Length == 0)
        {
            return field == "token" ? ReadProblems.NoContract(parent, "token") : Problems.Result(404, $"There is no contract at {parent} on this chain; pass the address entity-deploy returned (output.entityAddress).", CommandEndpoint.Errors(field, "No contract at this address."));
        }

        Address entity = parent;
        if (field == "token")
        {
            Address? linked = await ModuleReads.IssuingEntityAsync(rpc, parent, head, cancellationToken).ConfigureAwait(false);
            if (linked is null)
            {
                return ReadProblems.NotAnswering(parent, "token", "issuingEntity()", parent);
            }

            if (linked == Address.Zero)
            {
                return Results.Json(new ModuleList(parent.ToString(), null, head, []), GetCommand.Json);
            }

            entity = linked.Value;
        }

        var levels = new List<(string Level, Address Target)>();
        if (field == "token")
        {
            levels.Add(("token", parent));
        }

        levels.Add(("issuer", entity));
        byte[]?[] lists = await ActionReads.CallManyAsync(rpc, [.. levels.Select(l => (entity, IssuingEntityContract.GetModules(l.Target)))], head, cancellationToken).ConfigureAwait(false);
        if (lists.Any(l => l is not { Length: >= 64 }))
        {
            return ReadProblems.NotAnswering(entity, field, "getModules(address)", parent);
        }

        ulong from = await ChainLogs.FirstBlockAsync(scans, rpc, entity, head, cancellationToken).ConfigureAwait(false) ?? 0;
        var attached = new Dictionary<(Address, Address), LogEntry>();
        foreach (LogEntry log in await ChainLogs.GetAsync(rpc, entity, [IssuingEntityContract.ModuleAttachedTopic], from, head, cancellationToken).ConfigureAwait(false))
        {
            attached[(Address.FromBytes(log.Topics[1].ToArray().AsSpan(12)), Address.FromBytes(log.Topics[2].ToArray().AsSpan(12)))] = log;
        }

        var answer = new List<AttachedModule>();
        for (int level = 0; level < levels.Count; level++)
        {
            foreach (Address module in IssuingEntityContract.DecodeGetModules(lists[level]!))
            {
                ModuleReads.Declaration? declared = await ModuleReads.DeclarationAsync(rpc, module, head, cancellationToken).ConfigureAwait(false);
                IReadOnlyList<string> permissions = declared?.Permissions ?? [];
                byte[]?[] granted = await ActionReads.CallManyAsync(rpc, [.. permissions.Select(p => (entity, IssuingEntityContract.IsPermittedModule(parent, module, Hex.Decode(p))))], head, cancellationToken).ConfigureAwait(false);
                LogEntry? log = attached.GetValueOrDefault((levels[level].Target, module));
                answer.Add(new AttachedModule(
                    module.ToString(),
                    levels[level].Level,
                    declared?.Name,
                    [.. (declared?.Hooks ?? []).Select(h => new Hook(h, ModuleSelectors.Hook(h)?.Signature, ModuleSelectors.Hook(h)?.Name))],
                    [.. permissions.Select((p, i) => new Permission(p, ModuleSelectors.Permission(p)?.Signature, ModuleSelectors.Permission(p)?.Name, granted[i] is { Length: >= 32 } g && IssuingEntityContract.DecodeIsPermittedModule(g)))],
                    declared is not null,
                    log?.BlockNumber,
                    log?.TransactionHash?.ToString()));
            }
        }

        return Results.Json(new ModuleList(field == "token" ? parent.ToString() : null, entity.ToString(), head, answer), GetCommand.Json);
    }

    /// <summary>The answer.</summary>
    /// <param name="Token">EIP-55 token address (null on the issuer route).</param>
    /// <param name="IssuingEntity">The IssuingEntity keeping the modules; null when the token has none (then no modules).</param>
    /// <param name="AtBlock">The block the state was read at.</param>
    /// <param name="Modules">Token modules first, then issuer modules, each in the entity's order.</param>
    public sealed record ModuleList(string? Token, string? IssuingEntity, ulong AtBlock, IReadOnlyList<AttachedModule> Modules);

    /// <summary>One active module.</summary>
    /// <param name="Address">EIP-55 module address.</param>
    /// <param name="Level"><c>token</c> (attached to the token) or <c>issuer</c> (active on every token of the issuer).</param>
    /// <param name="Name">The module's <c>name()</c>.</param>
    /// <param name="Hooks">Hooks the module declares (the parent calls these).</param>
    /// <param name="Permissions">Parent methods the module may call.</param>
    /// <param name="AnswersGetPermissions">False when the module no longer answers <c>getPermissions</c> (then both lists are empty).</param>
    /// <param name="AttachedBlock">Block of its last <c>ModuleAttached</c> event.</param>
    /// <param name="AttachedTransaction">That event's transaction.</param>
    public sealed record AttachedModule(string Address, string Level, string? Name, IReadOnlyList<Hook> Hooks, IReadOnlyList<Permission> Permissions, bool AnswersGetPermissions, ulong? AttachedBlock, string? AttachedTransaction);

    /// <summary>A declared hook: its selector, and its seed 002 signature and name when known.</summary>
    /// <param name="Selector">0x + 8 hex digits.</param>
    /// <param name="Signature">E.g. <c>checkTransfer(address[2],bytes32,bytes32[2],uint8[2],uint16[2],uint256)</c>; null when unknown.</param>
    /// <param name="Name">E.g. <c>STModule.checkTransfer</c>.</param>
    public sealed record Hook(string Selector, string? Signature, string? Name);

    /// <summary>A declared permission.</summary>
    /// <param name="Selector">0x + 8 hex digits.</param>
    /// <param name="Signature">The parent method, e.g. <c>transferFrom(address,address,uint256)</c>.</param>
    /// <param name="Name">E.g. <c>SecurityToken.transferFrom</c>.</param>
    /// <param name="Granted">The entity's <c>isPermittedModule</c> for it on this parent.</param>
    public sealed record Permission(string Selector, string? Signature, string? Name, bool Granted);
}
