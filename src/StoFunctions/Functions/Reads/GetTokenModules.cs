using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Abi;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Functions.Scanning;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Functions.Reads;

/// <summary>
/// <c>GET /api/tokens/{token}/modules</c> [sto token-modules]: the token's attached modules (<c>getModules</c>) with
/// the hooks and permissions each declares (<c>getPermissions</c> of the module), every permission confirmed with
/// the token's <c>isPermittedModule</c> (the token keeps what a module declared at its first attach, so
/// <c>granted</c> is what counts), and the block and transaction of the module's last <c>ModuleAttached</c> event.
/// </summary>
public static class GetTokenModules
{
    /// <summary><c>GET /api/tokens/{token}/modules</c>.</summary>
    [Function("GetTokenModules")]
    public static Task<IResult> GetTokenModulesAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tokens/{token}/modules")] HttpRequest request, string token, CancellationToken cancellationToken) =>
        HandleAsync(token, request.HttpContext.RequestServices.GetRequiredService<Platform>(), request.HttpContext.RequestServices.GetRequiredService<ScanStore>(), cancellationToken);

    private static async Task<IResult> HandleAsync(string tokenText, Platform platform, ScanStore scans, CancellationToken cancellationToken)
    {
        if (ScanInput.TryToken(tokenText, out Address token) is { } bad)
        {
            return bad;
        }

        JsonRpcClient rpc = platform.Rpc;
        ulong head = await rpc.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
        byte[]? listed = (await ActionReads.CallManyAsync(rpc, [(token, SecurityTokenContract.GetModules())], head, cancellationToken).ConfigureAwait(false))[0];
        if (listed is not { Length: >= 64 })
        {
            return (await rpc.GetCodeAsync(token, head, cancellationToken).ConfigureAwait(false)).Length == 0
                ? ReadProblems.NoContract(token, "token")
                : ReadProblems.NotAnswering(token, "token", "getModules", token);
        }

        Address[] modules = SecurityTokenContract.DecodeGetModules(listed);
        var attached = new Dictionary<Address, LogEntry>();
        if (modules.Length > 0)
        {
            ulong from = await ChainLogs.FirstBlockAsync(scans, rpc, token, head, cancellationToken).ConfigureAwait(false) ?? 0;
            foreach (LogEntry log in await ChainLogs.GetAsync(rpc, token, [SecurityTokenContract.ModuleAttachedTopic], from, head, cancellationToken).ConfigureAwait(false))
            {
                attached[Address.FromBytes(log.Topics[1].ToArray().AsSpan(12))] = log;
            }
        }

        var answer = new List<AttachedModule>();
        foreach (Address module in modules)
        {
            // Any IModule binding encodes getPermissions(); Lockup is one of ours.
            byte[]? declared = (await ActionReads.CallManyAsync(rpc, [(module, LockupModuleContract.GetPermissions())], head, cancellationToken).ConfigureAwait(false))[0];
            (byte[][] permissions, byte[][] hooks) = declared is { Length: >= 64 } ? LockupModuleContract.DecodeGetPermissions(declared) : ([], []);
            byte[]?[] granted = await ActionReads.CallManyAsync(rpc, [.. permissions.Select(p => (token, SecurityTokenContract.IsPermittedModule(module, p)))], head, cancellationToken).ConfigureAwait(false);
            LogEntry? log = attached.GetValueOrDefault(module);
            answer.Add(new AttachedModule(
                module.ToString(),
                [.. hooks.Select(h => new Hook(Hex.Encode(h), Name(LockupModuleContract.Abi, h)))],
                [.. permissions.Select((p, i) => new Permission(Hex.Encode(p), Name(SecurityTokenContract.Abi, p), granted[i] is { Length: >= 32 } g && SecurityTokenContract.DecodeIsPermittedModule(g)))],
                declared is { Length: >= 64 },
                log?.BlockNumber,
                log?.TransactionHash?.ToString()));
        }

        return Results.Json(new ModuleList(token.ToString(), head, answer), GetCommand.Json);
    }

    private static string? Name(ContractAbi abi, byte[] selector) => abi.FindFunction(selector)?.Signature;

    /// <summary>The answer.</summary>
    /// <param name="Token">EIP-55 token address.</param>
    /// <param name="AtBlock">The block the state was read at.</param>
    /// <param name="Modules">In the token's order (<c>getModules</c>).</param>
    public sealed record ModuleList(string Token, ulong AtBlock, IReadOnlyList<AttachedModule> Modules);

    /// <summary>One attached module.</summary>
    /// <param name="Address">EIP-55 module address.</param>
    /// <param name="Hooks">Hooks the module declares (the token calls these).</param>
    /// <param name="Permissions">Token functions the module may call back.</param>
    /// <param name="AnswersGetPermissions">False when the module no longer answers <c>getPermissions</c> (then both lists are empty).</param>
    /// <param name="AttachedBlock">Block of its last <c>ModuleAttached</c> event.</param>
    /// <param name="AttachedTransaction">That event's transaction.</param>
    public sealed record AttachedModule(string Address, IReadOnlyList<Hook> Hooks, IReadOnlyList<Permission> Permissions, bool AnswersGetPermissions, ulong? AttachedBlock, string? AttachedTransaction);

    /// <summary>A declared hook: its selector and signature when known.</summary>
    /// <param name="Selector">0x + 8 hex digits.</param>
    /// <param name="Signature">E.g. <c>checkTransfer(address,address,uint256)</c>; null when no ABI of ours has it.</param>
    public sealed record Hook(string Selector, string? Signature);

    /// <summary>A declared permission.</summary>
    /// <param name="Selector">0x + 8 hex digits.</param>
    /// <param name="Signature">The token function, e.g. <c>mint(address,uint256)</c>.</param>
    /// <param name="Granted">The token's <c>isPermittedModule</c> for it.</param>
    public sealed record Permission(string Selector, string? Signature, bool Granted);
}
