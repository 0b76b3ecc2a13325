using System.Globalization;
using System.Numerics;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.Scanning;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Functions.Reads;

/// <summary>
/// <c>GET /api/tokens/{token}/holders/{address}/history?limit=&amp;continuationToken=</c> [sto balance-history]: every
/// scanned transfer that changed the holder's balance, oldest first, with block, time, transaction hash, delta and
/// the balance after it. Read from the scanner's rows (events and balance history), so it covers what was scanned
/// (<c>scannedToBlock</c>); the balance before each block comes from that block's balance-history row (its
/// <c>Previous</c>), so a scan that did not start at deployment still shows true balances where history exists.
/// </summary>
public static class GetBalanceHistory
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    /// <summary><c>GET /api/tokens/{token}/holders/{address}/history</c>.</summary>
    [Function("GetBalanceHistory")]
    public static Task<IResult> GetBalanceHistoryAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tokens/{token}/holders/{address}/history")] HttpRequest request, string token, string address, CancellationToken cancellationToken) =>
        HandleAsync(token, address, request.Query, request.HttpContext.RequestServices.GetRequiredService<ScanStore>(), cancellationToken);

    private static async Task<IResult> HandleAsync(string tokenText, string addressText, IQueryCollection query, ScanStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Address.TryParse(tokenText, out Address token))
        {
            errors["token"] = [$"'{EchoText.Bounded(tokenText)}' is not a valid address (mixed case must pass EIP-55)."];
        }

        if (!Address.TryParse(addressText, out Address holder))
        {
            errors["address"] = [$"'{EchoText.Bounded(addressText)}' is not a valid address (mixed case must pass EIP-55)."];
        }

        int limit = DefaultLimit;
        if (query["limit"].FirstOrDefault() is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"'{EchoText.Bounded(limitText)}' must be an integer from 1 to {MaxLimit}."];
        }

        string? after = query["continuationToken"].FirstOrDefault();
        if (after is not null && !IsEventKey(after))
        {
            errors["continuationToken"] = ["Not a continuation token of this route; pass the continuationToken of the previous answer unchanged."];
        }

        if (errors.Count > 0)
        {
            return Problems.Result(400, "The balance history read is invalid: " + string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")), errors);
        }

        await store.EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        if (await store.GetCursorAsync(token, cancellationToken).ConfigureAwait(false) is not { } cursor)
        {
            return Problems.Result(404, $"Token {token} has not been scanned; scan it first (sto token-scan --token {token}, or POST /api/tokens/{token}/scans).",
                CommandEndpoint.Errors("token", "Not scanned yet."));
        }

        (List<TransferLog> events, List<BalanceChange> changes) = await store.ReadHolderHistoryAsync(token, holder, cancellationToken).ConfigureAwait(false);
        // Rows above the cursor belong to a range that was being written (or rolled back) and are not committed.
        events = [.. events.Where(e => e.Block <= cursor.LastBlock).OrderBy(e => e.Block).ThenBy(e => e.LogIndex)];
        var history = changes.Where(c => c.Block <= cursor.LastBlock).ToDictionary(c => c.Block);
        var all = new List<BalanceStep>(events.Count);
        BigInteger balance = BigInteger.Zero;
        ulong? block = null;
        foreach (TransferLog e in events)
        {
            if (e.Block != block && history.TryGetValue(e.Block, out BalanceChange? change))
            {
                // The history row knows the balance before this block even when earlier blocks were never scanned.
                balance = change.Previous;
            }

            block = e.Block;
            BigInteger delta = (e.To == holder ? (BigInteger)e.Value : BigInteger.Zero) - (e.From == holder ? (BigInteger)e.Value : BigInteger.Zero);
            balance += delta;
            all.Add(new BalanceStep(
                e.Block, e.LogIndex, e.BlockTime, e.TransactionHash.ToString(), e.From.ToString(), e.To.ToString(),
                Units(delta, cursor.Decimals), delta.ToString(CultureInfo.InvariantCulture), Units(balance, cursor.Decimals), balance.ToString(CultureInfo.InvariantCulture)));
        }

        var page = all.Where(s => after is null || string.CompareOrdinal(TransferLog.EventKey(s.Block, s.LogIndex), after) > 0).Take(limit + 1).ToList();
        string? next = page.Count > limit ? TransferLog.EventKey(page[limit - 1].Block, page[limit - 1].LogIndex) : null;
        return Results.Json(
            new BalanceHistory(token.ToString(), holder.ToString(), cursor.LastBlock, all.Count > 0 ? all[^1].Balance : "0", all.Count > 0 ? all[^1].BalanceRaw : "0", [.. page.Take(limit)], next),
            GetCommand.Json);
    }

    private static bool IsEventKey(string text) =>
        text.Length == 19 && text[12] == '-' && text.Remove(12, 1).All(char.IsAsciiDigit);

    // Signed: a holder whose scan started after its first transfers can see a debit before any credit.
    private static string Units(BigInteger raw, int decimals) =>
        (raw.Sign < 0 ? "-" : "") + AmountText.Format(UInt256.Parse(BigInteger.Abs(raw).ToString(CultureInfo.InvariantCulture)), decimals);

    /// <summary>The answer.</summary>
    /// <param name="Token">EIP-55 token address.</param>
    /// <param name="Holder">EIP-55 holder address.</param>
    /// <param name="ScannedToBlock">The scanner's cursor: later transfers are not in the history yet.</param>
    /// <param name="Balance">The balance after the last scanned change, in token units.</param>
    /// <param name="BalanceRaw">The same, raw.</param>
    /// <param name="Changes">This page of changes, oldest first.</param>
    /// <param name="ContinuationToken">Pass it back for the next page; null on the last one.</param>
    public sealed record BalanceHistory(string Token, string Holder, ulong ScannedToBlock, string Balance, string BalanceRaw, IReadOnlyList<BalanceStep> Changes, string? ContinuationToken);

    /// <summary>One transfer that moved the holder's balance.</summary>
    /// <param name="Block">Its block.</param>
    /// <param name="LogIndex">Its log index in the block.</param>
    /// <param name="Time">The block's time.</param>
    /// <param name="TransactionHash">Its transaction.</param>
    /// <param name="From">Sender (the zero address for a mint).</param>
    /// <param name="To">Receiver (the zero address for a burn).</param>
    /// <param name="Delta">Signed change, in token units (0 for a transfer to itself).</param>
    /// <param name="DeltaRaw">The same, raw.</param>
    /// <param name="Balance">Balance after it, in token units.</param>
    /// <param name="BalanceRaw">The same, raw.</param>
    public sealed record BalanceStep(ulong Block, ulong LogIndex, DateTimeOffset Time, string TransactionHash, string From, string To, string Delta, string DeltaRaw, string Balance, string BalanceRaw);
}
