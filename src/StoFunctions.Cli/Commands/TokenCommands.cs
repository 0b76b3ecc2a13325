using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace StoFunctions.Cli.Commands;

/// <summary><c>issue</c>, <c>issue-logs</c>, <c>token-status</c>, <c>token-scan</c>, <c>cap-table</c>, <c>token-snapshot</c>, <c>token-snapshots</c>.</summary>
public static class TokenCommands
{
    /// <summary>The commands.</summary>
    public static IEnumerable<Command> Create(CliKit kit)
    {
        Option<string> name = CliKit.Required<string>("--name", "token name, e.g. \"Moo Corp\"");
        Option<string> symbol = CliKit.Required<string>("--symbol", "token symbol, e.g. MOO");
        Option<string> amount = CliKit.Required<string>("--amount", "supply minted to the issuer, in token units, e.g. 9999");
        Option<string?> url = CliKit.Optional<string?>("--url", "https:// link written on chain");
        Option<ulong?> decimals = CliKit.Optional<ulong?>("--decimals", "decimals (default 18)");
        Option<bool> restricted = CliKit.Optional<bool>("--restricted", "KYC-restricted: only whitelisted addresses may hold it");
        Option<string?> registry = CliKit.Optional<string?>("--kyc-registry", "KYC registry of a restricted token (default: the token itself)");
        yield return kit.Submit("issue", "deploy a token and mint its supply to the issuer [POST /api/tokens]\n  e.g. sto issue --name \"Moo Corp\" --symbol MOO --amount 9999", HttpMethod.Post, _ => "tokens",
            r => new JsonBody().Text("name", r.GetValue(name)).Text("symbol", r.GetValue(symbol)).Text("url", r.GetValue(url)).Text("amount", r.GetValue(amount))
                .Number("decimals", r.GetValue(decimals)).Text("restriction", r.GetValue(restricted) ? "restricted" : null).Text("kycRegistry", r.GetValue(registry)).Object,
            name, symbol, amount, url, decimals, restricted, registry);

        yield return kit.Read("issue-logs", "tokens issued by this deployment, with their commands [GET /api/tokens]\n  e.g. sto issue-logs", _ => "tokens");

        Option<string> token = Token();
        yield return kit.Read("token-status", "on-chain name, symbol, decimals, supply, issuer balance, paused, policy [GET /api/tokens/{token}]\n  e.g. sto token-status --token 0x…", r => "tokens/" + CliKit.Segment(r.GetValue(token)!), token);

        Option<string> scanToken = Token();
        Option<ulong?> fromBlock = CliKit.Optional<ulong?>("--from-block", "first block (default: the token's cursor or deployment block)");
        Option<ulong?> toBlock = CliKit.Optional<ulong?>("--to-block", "last block (default: the head)");
        yield return kit.Submit("token-scan", "scan the token's events into the cap table now [POST /api/tokens/{token}/scans]\n  e.g. sto token-scan --token 0x…", HttpMethod.Post,
            r => $"tokens/{CliKit.Segment(r.GetValue(scanToken)!)}/scans",
            r => new JsonBody().Number("fromBlock", r.GetValue(fromBlock)).Number("toBlock", r.GetValue(toBlock)).Object,
            scanToken, fromBlock, toBlock);

        yield return CapTable(kit);

        Option<string> snapToken = Token();
        yield return kit.Submit("token-snapshot", "take a balance snapshot (its id is output.snapshotId) [POST /api/tokens/{token}/snapshots]\n  e.g. sto token-snapshot --token 0x…", HttpMethod.Post,
            r => $"tokens/{CliKit.Segment(r.GetValue(snapToken)!)}/snapshots", _ => new JsonBody().Object, snapToken);
        Option<string> snapsToken = Token();
        yield return kit.Read("token-snapshots", "the token's snapshots [GET /api/tokens/{token}/snapshots]\n  e.g. sto token-snapshots --token 0x…", r => $"tokens/{CliKit.Segment(r.GetValue(snapsToken)!)}/snapshots", snapsToken);
    }

    /// <summary>A new required <c>--token</c> option.</summary>
    public static Option<string> Token() => CliKit.Required<string>("--token", "token address (0x…)");

    private static Command CapTable(CliKit kit)
    {
        Option<string> token = Token();
        Option<string?> orderBy = CliKit.Optional<string?>("--order-by", "balance | name | updated | address");
        Option<string?> direction = CliKit.Optional<string?>("--order-direction", "asc | desc");
        Option<bool> includeEmpty = CliKit.Optional<bool>("--include-empty", "also list holders whose balance is 0");
        Option<ulong?> maxEntries = CliKit.Optional<ulong?>("--max-entries", "at most this many holders (default 5000)");
        Option<ulong?> accuracy = CliKit.Optional<ulong?>("--accuracy", "fraction digits of percentages (default 2)");
        Option<ulong?> atBlock = CliKit.Optional<ulong?>("--at-block", "the cap table at this block");
        Option<string?> atTime = CliKit.Optional<string?>("--at-time", "the cap table at this time (ISO 8601 or Unix seconds)");
        Option<bool> csv = CliKit.Optional<bool>("--csv", "CSV (the API's export, formula-injection guarded) instead of a table");
        Option<FileInfo?> output = CliKit.Optional<FileInfo?>("--output", "write the answer to this file instead of stdout");
        var command = new Command("cap-table", "the cap table from the scanned events [GET /api/tokens/{token}/holders]\n  e.g. sto cap-table --token 0x… --order-by balance --csv --output cap.csv")
        {
            token, orderBy, direction, includeEmpty, maxEntries, accuracy, atBlock, atTime, csv, output,
        };
        kit.SetAction(command, async (session, r, cancellationToken) =>
        {
            var query = new List<string>();
            void Add(string key, string? value)
            {
                if (value is not null)
                {
                    query.Add(key + "=" + Uri.EscapeDataString(value));
                }
            }

            Add("orderBy", r.GetValue(orderBy));
            Add("orderDirection", r.GetValue(direction));
            Add("includeEmpty", r.GetValue(includeEmpty) ? "true" : null);
            Add("maxEntries", r.GetValue(maxEntries)?.ToString(CultureInfo.InvariantCulture));
            Add("accuracy", r.GetValue(accuracy)?.ToString(CultureInfo.InvariantCulture));
            Add("atBlock", r.GetValue(atBlock)?.ToString(CultureInfo.InvariantCulture));
            Add("atTime", r.GetValue(atTime));
            string path = $"tokens/{CliKit.Segment(r.GetValue(token)!)}/holders" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
            return await session.ExportAsync(path, r.GetValue(csv), r.GetValue(output), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
