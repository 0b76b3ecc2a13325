using System.Globalization;
using System.Text;
using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.CapTables;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Functions.Transactions;

/// <summary><c>GET /api/transactions?limit=5&amp;sender=</c> [tx-last]: the latest ledger transactions of the issuer's lane, newest first; <c>Accept: text/csv</c> gives CSV.</summary>
public static class ListTransactions
{
    /// <summary><c>GET /api/transactions</c>.</summary>
    [Function("ListTransactions")]
    public static Task<IResult> ListTransactionsAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "transactions")] HttpRequest request, CancellationToken cancellationToken) =>
        HandleAsync(request.HttpContext, request.HttpContext.RequestServices.GetRequiredService<Platform>(), cancellationToken);

    private static async Task<IResult> HandleAsync(HttpContext context, Platform platform, CancellationToken cancellationToken)
    {
        string? limitText = context.Request.Query["limit"].FirstOrDefault();
        int limit = 5;
        if (limitText is not null && (!int.TryParse(limitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
        {
            return Problems.Result(400, $"limit '{EchoText.Bounded(limitText)}' must be an integer from 1 to 1000.", CommandEndpoint.Errors("limit", "1 to 1000."));
        }

        if (context.Request.Query["sender"].FirstOrDefault() is { } senderText)
        {
            if (!Address.TryParse(senderText, out Address sender))
            {
                return Problems.Result(400, $"sender '{EchoText.Bounded(senderText)}' is not a valid address.", CommandEndpoint.Errors("sender", "Not a valid address."));
            }

            if (sender != platform.Issuer)
            {
                return Results.Json(new { transactions = Array.Empty<object>() }, GetCommand.Json);
            }
        }

        LedgerAccount? account = await platform.Ledger.GetAccountAsync(platform.Lane, cancellationToken).ConfigureAwait(false);
        if (account is null || account.NextNonce == 0)
        {
            return Results.Json(new { transactions = Array.Empty<object>() }, GetCommand.Json);
        }

        ulong from = account.NextNonce > (ulong)limit ? account.NextNonce - (ulong)limit : 0;
        List<LedgerTransaction> rows = await platform.Ledger.GetTransactionsAsync(platform.Lane, from, account.NextNonce - 1, cancellationToken).ConfigureAwait(false);
        var items = rows.OrderByDescending(r => r.Nonce).Select(r => new
        {
            sender = platform.Issuer.ToString(),
            nonce = r.Nonce,
            status = r.State.ToString(),
            hash = (r.MinedHash ?? r.LatestHash)?.ToString(),
            to = r.To?.ToString(),
            contractAddress = r.ContractAddress?.ToString(),
            blockNumber = r.BlockNumber,
            note = r.Note,
            commandId = r.CommandId,
            error = r.Error ?? r.RejectedError,
            createdTime = r.CreatedTime,
            updatedTime = r.UpdatedTime,
        });
        if (context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)))
        {
            return Results.Text(Csv(items.Select(i => new string?[]
            {
                i.sender, i.nonce.ToString(CultureInfo.InvariantCulture), i.status, i.hash, i.to, i.contractAddress, i.blockNumber?.ToString(CultureInfo.InvariantCulture),
                i.note, i.commandId, i.error, i.createdTime.ToString("O", CultureInfo.InvariantCulture), i.updatedTime.ToString("O", CultureInfo.InvariantCulture),
            })), "text/csv", Encoding.UTF8);
        }

        return Results.Json(new { transactions = items }, GetCommand.Json);
    }

    // The export of tx-last --csv: same rows and order as the JSON, every cell through the formula guard (notes
    // and errors carry text from requests and nodes).
    private static string Csv(IEnumerable<string?[]> rows)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new FormulaSafeCsvWriter(text))
        {
            foreach (string header in s_csvHeader)
            {
                csv.WriteField(header);
            }

            csv.NextRecord();
            foreach (string?[] row in rows)
            {
                foreach (string? cell in row)
                {
                    csv.WriteField(cell);
                }

                csv.NextRecord();
            }
        }

        return text.ToString();
    }

    private static readonly string[] s_csvHeader = ["sender", "nonce", "status", "hash", "to", "contractAddress", "blockNumber", "note", "commandId", "error", "createdTime", "updatedTime"];
}
