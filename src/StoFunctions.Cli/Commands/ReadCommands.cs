using System.CommandLine;
using System.Globalization;

namespace StoFunctions.Cli.Commands;

/// <summary><c>token-frozen</c>, <c>token-modules</c>, <c>kyc-list</c>, <c>balance-history</c>: chain and scanner reads.</summary>
public static class ReadCommands
{
    /// <summary>The commands.</summary>
    public static IEnumerable<Command> Create(CliKit kit)
    {
        Option<string> frozenToken = TokenCommands.Token();
        yield return kit.Read("token-frozen", "frozen addresses (whole or partial freezes) from the token's freeze events, confirmed on chain [GET /api/tokens/{token}/frozen]\n  e.g. sto token-frozen --token 0x…",
            r => $"tokens/{CliKit.Segment(r.GetValue(frozenToken)!)}/frozen", frozenToken);

        Option<string> modulesToken = TokenCommands.Token();
        yield return kit.Read("token-modules", "attached modules with their hooks and permissions as the token reports them [GET /api/tokens/{token}/modules]\n  e.g. sto token-modules --token 0x…",
            r => $"tokens/{CliKit.Segment(r.GetValue(modulesToken)!)}/modules", modulesToken);

        Option<string> registry = CliKit.Required<string>("--registry", "registry address (or a restricted token that keeps its own values)");
        Option<string?> key = CliKit.Optional<string?>("--restriction-key", "restriction key: KYC (default) or a u64");
        Option<ulong?> limit = CliKit.Optional<ulong?>("--limit", "entries per page (default 100, at most 1000)");
        Option<string?> continuation = CliKit.Optional<string?>("--continuation-token", "the continuationToken of the previous page");
        yield return kit.Read("kyc-list", "every address with a value under the key, from the registry's events, confirmed on chain [GET /api/kyc-registries/{registry}/entries]\n  e.g. sto kyc-list --registry 0x… --limit 500",
            r => $"kyc-registries/{CliKit.Segment(r.GetValue(registry)!)}/entries" + Query(("key", r.GetValue(key)), ("limit", r.GetValue(limit)?.ToString(CultureInfo.InvariantCulture)), ("continuationToken", r.GetValue(continuation))),
            registry, key, limit, continuation);

        Option<string> historyToken = TokenCommands.Token();
        Option<string> holder = CliKit.Required<string>("--address", "the holder");
        Option<ulong?> historyLimit = CliKit.Optional<ulong?>("--limit", "changes per page (default 100, at most 1000)");
        Option<string?> historyContinuation = CliKit.Optional<string?>("--continuation-token", "the continuationToken of the previous page");
        yield return kit.Read("balance-history", "a holder's scanned balance changes: block, tx hash, delta, balance after [GET /api/tokens/{token}/holders/{address}/history]\n  e.g. sto balance-history --token 0x… --address 0x…",
            r => $"tokens/{CliKit.Segment(r.GetValue(historyToken)!)}/holders/{CliKit.Segment(r.GetValue(holder)!)}/history"
                + Query(("limit", r.GetValue(historyLimit)?.ToString(CultureInfo.InvariantCulture)), ("continuationToken", r.GetValue(historyContinuation))),
            historyToken, holder, historyLimit, historyContinuation);
    }

    /// <summary>A query string of the given values (null ones left out), or "".</summary>
    public static string Query(params (string Name, string? Value)[] values)
    {
        string[] parts = [.. values.Where(v => v.Value is not null).Select(v => v.Name + "=" + Uri.EscapeDataString(v.Value!))];
        return parts.Length == 0 ? "" : "?" + string.Join('&', parts);
    }
}
