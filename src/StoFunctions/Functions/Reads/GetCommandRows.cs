using System.Globalization;
using System.Text;
using System.Text.Json;
using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.Distributions;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Functions.Reads;

/// <summary>
/// <c>GET /api/commands/{id}/rows</c> [sto distribution-rows]: each row of a distribution (or of a single transfer)
/// with the transaction that carries it: nonce, hash, status, block, error. A row's transaction is found by its
/// business key <c>{token}/{externalId}</c>, at its latest attempt (a <c>retryFailed</c> re-run's
/// <c>!retry-N</c> key), so a row that an earlier command had already sent shows that transaction (and its
/// <c>commandId</c>). <c>Accept: text/csv</c> gives the same rows as CSV, every cell through the formula guard
/// (external ids, e-mails and names come from the uploaded file).
/// </summary>
public static class GetCommandRows
{
    private const int ParallelLookups = 16;

    private static readonly string[] s_csvHeader =
        ["row", "externalId", "email", "name", "address", "amount", "attempt", "nonce", "transactionHash", "status", "blockNumber", "error", "commandId"];

    /// <summary><c>GET /api/commands/{id}/rows</c>.</summary>
    [Function("GetCommandRows")]
    public static Task<IResult> GetCommandRowsAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "commands/{id}/rows")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        HandleAsync(id, request, request.HttpContext.RequestServices.GetRequiredService<Platform>(), cancellationToken);

    private static async Task<IResult> HandleAsync(string id, HttpRequest request, Platform platform, CancellationToken cancellationToken)
    {
        if (id.Length is 0 or > 64 || !id.All(char.IsAsciiLetterOrDigit))
        {
            return Problems.Result(400, $"'{EchoText.Bounded(id)}' is not a command id (1 to 64 letters and digits).", CommandEndpoint.Errors("id", "1 to 64 letters and digits."));
        }

        AcceptedCommand? command = await platform.Commands.GetAcceptedAsync(id, cancellationToken).ConfigureAwait(false);
        if (command is null)
        {
            return Problems.Result(404, $"No command has id '{EchoText.Bounded(id)}'. Ids are returned by the 202 answer of the command's POST (or listed by GET /api/commands).",
                CommandEndpoint.Errors("id", "No such command."));
        }

        if (command.Name is not ("distribute" or "transfer") || !command.Input.TryGetProperty("token", out JsonElement tokenValue) || !Address.TryParse(tokenValue.GetString(), out Address token))
        {
            return Problems.Result(400, $"Command {id} is a '{command.Name}' command; rows exist for distributions and transfers only (read other commands with GET /api/commands/{id}).",
                CommandEndpoint.Errors("id", $"A '{command.Name}' command has no rows."));
        }

        JsonElement[] inputs = command.Name == "distribute"
            ? [.. command.Input.GetProperty("rows").EnumerateArray()]
            : [command.Input];
        string addressMember = command.Name == "distribute" ? "address" : "to";
        string[] externalIds = [.. inputs.Select(row => Text(row, "externalId") ?? "")];
        RetryKey[] keys = await RetryKey.ResolveManyAsync(platform.Ledger, platform.Lane, [.. externalIds.Select(e => DistributionPlan.BusinessKey(token, e))], retryFailed: false, cancellationToken).ConfigureAwait(false);
        var rows = new CommandRow[inputs.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, inputs.Length), new ParallelOptions { MaxDegreeOfParallelism = ParallelLookups, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            JsonElement row = inputs[i];
            RetryKey key = keys[i];
            LedgerTransaction? tx = key.Nonce is ulong nonce
                ? (await platform.Ledger.GetTransactionsAsync(platform.Lane, nonce, nonce, ct).ConfigureAwait(false)).SingleOrDefault()
                : null;
            rows[i] = new CommandRow(
                i + 1, externalIds[i], Text(row, "email"), Text(row, "name"), Text(row, addressMember), Text(row, "amount"), key.Attempt,
                tx?.Nonce, (tx?.MinedHash ?? tx?.LatestHash)?.ToString(),
                tx is null ? "NotPlanned" : tx.RejectedError is not null ? "Rejected" : tx.State.ToString(),
                tx?.BlockNumber, tx?.RejectedError ?? tx?.Error, tx?.CommandId);
        }).ConfigureAwait(false);

        if (request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)))
        {
            return Results.Text(Csv(rows), "text/csv", Encoding.UTF8);
        }

        return Results.Json(new CommandRows(id, command.Name, token.ToString(), rows), GetCommand.Json);
    }

    private static string? Text(JsonElement row, string member) =>
        row.ValueKind == JsonValueKind.Object && row.TryGetProperty(member, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Csv(IEnumerable<CommandRow> rows)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new Pipeline.CapTables.FormulaSafeCsvWriter(text))
        {
            foreach (string header in s_csvHeader)
            {
                csv.WriteField(header);
            }

            csv.NextRecord();
            foreach (CommandRow r in rows)
            {
                foreach (string? cell in new[]
                {
                    r.Row.ToString(CultureInfo.InvariantCulture), r.ExternalId, r.Email, r.Name, r.Address, r.Amount, r.Attempt.ToString(CultureInfo.InvariantCulture),
                    r.Nonce?.ToString(CultureInfo.InvariantCulture), r.TransactionHash, r.Status, r.BlockNumber?.ToString(CultureInfo.InvariantCulture), r.Error, r.CommandId,
                })
                {
                    csv.WriteField(cell);
                }

                csv.NextRecord();
            }
        }

        return text.ToString();
    }

    /// <summary>The JSON answer.</summary>
    /// <param name="Id">The command id.</param>
    /// <param name="Command"><c>distribute</c> or <c>transfer</c>.</param>
    /// <param name="Token">EIP-55 token address.</param>
    /// <param name="Rows">In input order.</param>
    public sealed record CommandRows(string Id, string Command, string Token, IReadOnlyList<CommandRow> Rows);

    /// <summary>One row and its transaction.</summary>
    /// <param name="Row">1-based position in the input (a CSV upload's data line N is row N).</param>
    /// <param name="ExternalId">As sent.</param>
    /// <param name="Email">As sent, else null.</param>
    /// <param name="Name">As sent, else null.</param>
    /// <param name="Address">Receiver, as sent.</param>
    /// <param name="Amount">Amount in token units, as sent.</param>
    /// <param name="Attempt">0, or N for the <c>!retry-N</c> attempt shown.</param>
    /// <param name="Nonce">The transaction's nonce; null when none was planned.</param>
    /// <param name="TransactionHash">Mined hash, else the latest attempt's; null before signing.</param>
    /// <param name="Status">The ledger state (<c>Confirmed</c>, <c>Failed</c>, …), <c>Rejected</c>, or <c>NotPlanned</c>.</param>
    /// <param name="BlockNumber">The block that mined it, else null.</param>
    /// <param name="Error">Revert reason or rejection, else null.</param>
    /// <param name="CommandId">The command that planned the transaction (this one, or an earlier one for a re-sent row).</param>
    public sealed record CommandRow(int Row, string ExternalId, string? Email, string? Name, string? Address, string? Amount, int Attempt, ulong? Nonce, string? TransactionHash, string Status, ulong? BlockNumber, string? Error, string? CommandId);
}
