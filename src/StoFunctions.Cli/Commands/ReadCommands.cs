using System.CommandLine;
using System.Globalization;

namespace StoFunctions.Cli.Commands;

/// <summary><c>token-frozen</c>, <c>token-modules</c>, <c>kyc-list</c>, <c>balance-history</c>, <c>distribution-rows</c>, <c>payout-holders</c>: chain and scanner reads and exports.</summary>
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

    /// <summary><c>distribution-rows</c> and <c>payout-holders</c>: reads that export CSV (formula-injection guarded by the API).</summary>
    public static IEnumerable<Command> Exports(CliKit kit)
    {
        Option<string> id = CliKit.Required<string>("--id", "the distribution's (or transfer's) command id");
        Option<bool> csv = Csv();
        Option<FileInfo?> output = Output();
        var rows = new Command("distribution-rows", "each row of a distribution with its transaction hash, status and block [GET /api/commands/{id}/rows]\n  e.g. sto distribution-rows --id 3f2a… --csv --output rows.csv") { id, csv, output };
        kit.SetAction(rows, (session, r, cancellationToken) => session.ExportAsync($"commands/{CliKit.Segment(r.GetValue(id)!)}/rows", r.GetValue(csv), r.GetValue(output), cancellationToken));
        yield return rows;

        Option<string> token = TokenCommands.Token();
        Option<string> payoutId = CliKit.Required<string>("--payout-id", "payout id");
        Option<bool> holdersCsv = Csv();
        Option<FileInfo?> holdersOutput = Output();
        var holders = new Command("payout-holders", "each holder of a payout's snapshot with its amount and claim status [GET /api/tokens/{token}/payouts/{payoutId}/holders]\n  e.g. sto payout-holders --token 0x… --payout-id 1 --csv --output payout-1.csv")
        {
            token, payoutId, holdersCsv, holdersOutput,
        };
        kit.SetAction(holders, (session, r, cancellationToken) =>
            session.ExportAsync($"tokens/{CliKit.Segment(r.GetValue(token)!)}/payouts/{CliKit.Segment(r.GetValue(payoutId)!)}/holders", r.GetValue(holdersCsv), r.GetValue(holdersOutput), cancellationToken));
        yield return holders;
    }

    private static Option<bool> Csv() => CliKit.Optional<bool>("--csv", "CSV (the API's export, formula-injection guarded) instead of a table");

    private static Option<FileInfo?> Output() => CliKit.Optional<FileInfo?>("--output", "write the answer to this file instead of stdout");

    /// <summary>A query string of the given values (null ones left out), or "".</summary>
    public static string Query(params (string Name, string? Value)[] values)
    {
        string[] parts = [.. values.Where(v => v.Value is not null).Select(v => v.Name + "=" + Uri.EscapeDataString(v.Value!))];
        return parts.Length == 0 ? "" : "?" + string.Join('&', parts);
    }
}
