using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using StoFunctions.Cli.Api;

namespace StoFunctions.Cli.Commands;

/// <summary><c>tx-last</c>, <c>tx-next-nonce</c>, <c>tx-restart-nonce</c>.</summary>
public static class TransactionCommands
{
    /// <summary>The commands.</summary>
    public static IEnumerable<Command> Create(CliKit kit)
    {
        Option<ulong?> limit = CliKit.Optional<ulong?>("--limit", "how many (default 5, at most 1000)");
        Option<string?> sender = CliKit.Optional<string?>("--sender", "only this sender's (the issuer is the only one)");
        Option<bool> csv = CliKit.Optional<bool>("--csv", "CSV (formula-injection guarded) instead of a table");
        Option<FileInfo?> output = CliKit.Optional<FileInfo?>("--output", "write the answer to this file instead of stdout");
        var last = new Command("tx-last", "the latest ledger transactions, newest first [GET /api/transactions]\n  e.g. sto tx-last --limit 20 --csv --output tx.csv") { limit, sender, csv, output };
        kit.SetAction(last, (session, r, cancellationToken) =>
        {
            var query = new List<string>();
            if (r.GetValue(limit) is ulong l)
            {
                query.Add("limit=" + l.ToString(CultureInfo.InvariantCulture));
            }

            if (r.GetValue(sender) is { } s)
            {
                query.Add("sender=" + Uri.EscapeDataString(s));
            }

            return session.ExportAsync("transactions" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), r.GetValue(csv), r.GetValue(output), cancellationToken);
        });
        yield return last;

        Option<string?> address = CliKit.Optional<string?>("--address", "the account (default: the service's signer, from /api/diagnose)");
        var next = new Command("tx-next-nonce", "next ledger nonce, chain latest and pending counts [GET /api/accounts/{address}/nonce]\n  e.g. sto tx-next-nonce") { address };
        kit.SetAction(next, async (session, r, cancellationToken) =>
            await session.ShowAsync($"accounts/{CliKit.Segment(await AccountAsync(session, r.GetValue(address), cancellationToken).ConfigureAwait(false))}/nonce", cancellationToken).ConfigureAwait(false));
        yield return next;

        Option<string?> restartAddress = CliKit.Optional<string?>("--address", "the account (default: the service's signer)");
        var restart = new Command("tx-restart-nonce", "re-sync the signer's lane with the chain, keeping history; needs the admin key [POST /api/accounts/{address}/nonce/restart]\n  e.g. sto tx-restart-nonce --key $ADMIN_KEY") { restartAddress };
        kit.SetAction(restart, async (session, r, cancellationToken) =>
        {
            string account = await AccountAsync(session, r.GetValue(restartAddress), cancellationToken).ConfigureAwait(false);
            return await session.SubmitAsync(HttpMethod.Post, $"accounts/{CliKit.Segment(account)}/nonce/restart", new StringContent(""), new SubmitOptions(null, false, null), cancellationToken).ConfigureAwait(false);
        });
        yield return restart;
    }

    // The signer is in /api/diagnose's answer (also its 503 when the node is down).
    private static async Task<string> AccountAsync(CliSession session, string? given, CancellationToken cancellationToken)
    {
        if (given is not null)
        {
            return given;
        }

        ApiResponse diagnose = await session.Api.GetAsync("diagnose", null, cancellationToken).ConfigureAwait(false);
        return diagnose.Json() is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("signer", out JsonElement signer) && signer.GetString() is { } text
            ? text
            : throw new CliInputException($"No --address given and /api/diagnose did not name the signer ({(int)diagnose.StatusCode}); pass --address 0x….");
    }
}
