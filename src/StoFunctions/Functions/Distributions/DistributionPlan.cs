using System.Text.Json;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Functions.Tokens;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Planning;

using StoFunctions.Hosting;

namespace StoFunctions.Functions.Distributions;

/// <summary>
/// Validates and plans transfers from the issuer, one per row, each under the business key
/// <c>{token}/{externalId}</c> so a row already planned by any earlier command is never sent twice. The whole
/// input is validated before anything is planned: fields, EIP-55, amount precision, duplicate external ids,
/// the total against the issuer's balance net of its pending transfers, and <c>detectTransferRestriction</c>
/// for every new row (a restricted token's refusal is reported instead of a transaction that would revert).
/// </summary>
public static class DistributionPlan
{
    /// <summary>
    /// The most rows one command may carry. Its input is kept on the command row and continuation rows
    /// (<see cref="CommandInputRows"/>): 20,000 typical rows take about 2.5 million characters of the 7.2 million a
    /// command may store.
    /// </summary>
    public const int MaxRows = 20_000;

    private static readonly byte[] s_transferSelector = SecurityTokenContract.Transfer(Address.Zero, UInt256.Zero)[..4];

    /// <summary>One row as read from the input.</summary>
    /// <param name="Field">The error prefix, e.g. <c>rows[3]</c>.</param>
    /// <param name="Element">The row object.</param>
    /// <param name="AddressField">The member naming the receiver: <c>address</c> in a distribution row, <c>to</c> in a transfer (errors use the request's own name).</param>
    public sealed record Row(string Field, JsonElement Element, string AddressField = "address");

    /// <summary>The business key of a transfer of <paramref name="token"/> for <paramref name="externalId"/>.</summary>
    public static string BusinessKey(Address token, string externalId) => token.ToLowerHex() + "/" + externalId;

    /// <summary>
    /// Validates everything and returns one transfer intent per row. Each intent carries its canonical content
    /// (recipient and amount), so a row whose business key already holds another recipient or amount is refused
    /// with 409 instead of answering with the old transfer. With <paramref name="retryFailed"/>, a row whose latest
    /// transfer ended Failed gets a new attempt under <c>{token}/!retry-N/{externalId}</c> (see <see cref="RetryKey"/>).
    /// </summary>
    public static async Task<IReadOnlyList<TransactionIntent>> PlanAsync(IssuerChain chain, InputReader reader, Address? token, IReadOnlyList<Row> rows, CancellationToken cancellationToken, bool retryFailed = false)
    {
        if (token is not Address t)
        {
            reader.ThrowIfInvalid();
            return [];
        }

        int? decimalsRead = await chain.Decimals.GetAsync(t, cancellationToken).ConfigureAwait(false);
        if (decimalsRead is not int decimals)
        {
            reader.Add("token", $"No token contract answers decimals() at {t}; check the address.");
            reader.ThrowIfInvalid();
            return [];
        }

        var parsed = new List<(string Field, string ExternalId, Address To, UInt256 Amount, string AddressField)>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Row row in rows)
        {
            var fields = new InputReader(row.Element, reader.Errors, row.Field.Length == 0 ? "" : row.Field + ".");
            string? externalId = fields.String("externalId", maxLength: 100);
            fields.String("email", required: false);
            fields.String("name", required: false);
            Address? to = fields.Address(row.AddressField);
            if (to == t)
            {
                fields.Add(row.AddressField, $"{t} is the token contract itself; tokens sent there are locked for good. Send to an investor's address.");
                to = null;
            }
            else if (to == chain.Issuer)
            {
                fields.Add(row.AddressField, $"{chain.Issuer} is the issuer, which sends this transfer; a transfer to itself moves nothing. Use an investor's address.");
                to = null;
            }

            UInt256? amount = fields.Amount("amount", decimals);
            if (externalId is not null && externalId.StartsWith(ActionContracts.ReservedPrefix, StringComparison.Ordinal))
            {
                // {token}/!… is the service's own key space (ActionContracts); a row there could take a deployment's key.
                fields.Add("externalId", $"'{externalId}' starts with '{ActionContracts.ReservedPrefix}', which is reserved for the service's own business keys; use an id that does not.");
            }
            else if (externalId is not null)
            {
                if (seen.TryGetValue(externalId, out string? first))
                {
                    fields.Add("externalId", $"Duplicate external id '{EchoText.Bounded(externalId)}' (also in {first}); each row needs its own.");
                }
                else
                {
                    seen[externalId] = row.Field;
                }
            }

            if (externalId is not null && to is Address a && amount is UInt256 v)
            {
                parsed.Add((row.Field, externalId, a, v, row.AddressField));
            }
        }

        reader.ThrowIfInvalid();

        // The business keys, the estimates and (when it can tell more than they can) the balance are read at once:
        // each is a round trip, and a single transfer's planning is made of little else. Every row is estimated
        // (batched), each on its own against the current state, so a row gets the cost of being the first write
        // after a snapshot even when it is not; a row that would revert is refused with the token's ERC-1404 code
        // and message and the decoded custom error. Rows planned before are estimated too (their transaction is not
        // sent again, but a limit must never be a made-up constant) and their refusal does not count.
        var checkedRows = new InputReader(default, []);
        Task<RetryKey[]> keysRead = RetryKey.ResolveManyAsync(chain.Ledger, chain.Lane, [.. parsed.Select(p => BusinessKey(t, p.ExternalId))], retryFailed, cancellationToken);
        Task<ulong[]> estimates = GasLimits.EstimateManyAsync(
            chain,
            checkedRows,
            [.. parsed.Select(row => (Field(row.Field, row.AddressField), new CallRequest { To = t, Data = SecurityTokenContract.Transfer(row.To, row.Amount) }, $"transfer to {row.To}"))],
            cancellationToken);
        // With one row the estimate already says whether the issuer can pay it; the balance is read only if it cannot.
        Task<UInt256>? balanceRead = parsed.Count > 1 ? TokenReads.BalanceAsync(chain.Rpc, t, chain.Issuer, cancellationToken) : null;
        await Task.WhenAll([keysRead, estimates, .. balanceRead is null ? Array.Empty<Task>() : [balanceRead]]).ConfigureAwait(false);
        RetryKey[] keys = await keysRead.ConfigureAwait(false);
        ulong[] limits = await estimates.ConfigureAwait(false);

        // Rows whose business key already holds a nonce were planned before (a re-run): they send nothing new,
        // so they neither count against the balance nor need a restriction check. A retried row is new.
        bool[] planned = [.. keys.Select(k => k.Exists)];
        bool newRowRefused = Enumerable.Range(0, parsed.Count).Any(i => !planned[i] && limits[i] == 0);
        if (balanceRead is not null ? planned.Contains(false) : newRowRefused)
        {
            UInt256 total = UInt256.Zero;
            for (int i = 0; i < parsed.Count; i++)
            {
                total += planned[i] ? UInt256.Zero : parsed[i].Amount;
            }

            // The full check, net of transfers other commands have planned, runs in DistributionAdmission once
            // per submission batch (so concurrent submissions cannot overdraw together); this one only answers
            // the plain case with the total, where the refused estimates would blame the rows.
            UInt256 balance = balanceRead is null
                ? await TokenReads.BalanceAsync(chain.Rpc, t, chain.Issuer, cancellationToken).ConfigureAwait(false)
                : await balanceRead.ConfigureAwait(false);
            if (total > balance)
            {
                reader.Add("amount", ShortfallMessage(chain, total, balance, UInt256.Zero, decimals));
                reader.ThrowIfInvalid();
            }
        }

        for (int i = 0; i < parsed.Count; i++)
        {
            var row = parsed[i];
            if (planned[i] || limits[i] != 0)
            {
                continue;
            }

            (byte code, string? message) = await TokenReads.DetectAsync(chain.Rpc, t, chain.Issuer, row.To, row.Amount, cancellationToken).ConfigureAwait(false);
            string estimate = string.Join(" ", checkedRows.Errors.GetValueOrDefault(Field(row.Field, row.AddressField)) ?? []);
            FieldsFor(reader, row.Field).Add(row.AddressField, code != 0
                ? $"The token refuses this transfer (code {code}: {message}); e.g. whitelist {row.To} first. {estimate}"
                : estimate);
        }

        reader.ThrowIfInvalid();
        ulong fallback = limits.Max();
        return [.. parsed.Select((row, i) => new TransactionIntent
        {
            To = t,
            Data = SecurityTokenContract.Transfer(row.To, row.Amount),
            GasLimit = limits[i] != 0 ? limits[i] : fallback,
            BusinessKey = keys[i].BusinessKey,
            KeyAbsentWhenPlanned = !keys[i].Exists,
            Content = Content(row.To, row.Amount, decimals),
            ErrorField = row.Field.Length == 0 ? "externalId" : row.Field + ".externalId",
            Note = keys[i].RetriedNonce is ulong failed
                ? $"transfer {AmountText.Format(row.Amount, decimals)} for {row.ExternalId} (retry {keys[i].Attempt} of the failed transfer at nonce {failed})"
                : $"transfer {AmountText.Format(row.Amount, decimals)} for {row.ExternalId}",
        })];
    }

    /// <summary>
    /// The canonical content of a transfer row, stored with its business key and compared on every later use of
    /// the key: the recipient in lower case and the amount without trailing zeros, so <c>"1.0"</c> to a checksummed
    /// address and <c>"1"</c> to the same address in lower case are the same content.
    /// </summary>
    public static string Content(Address to, UInt256 amount, int decimals) => $"to {to.ToLowerHex()} amount {AmountText.Format(amount, decimals)}";

    /// <summary>The error of rows totalling <paramref name="total"/> against <paramref name="balance"/> minus <paramref name="pending"/>.</summary>
    public static string ShortfallMessage(IssuerChain chain, UInt256 total, UInt256 balance, UInt256 pending, int decimals)
    {
        UInt256 available = balance > pending ? balance - pending : UInt256.Zero;
        return $"The rows total {AmountText.Format(total, decimals)} but the issuer {chain.Issuer} has {AmountText.Format(available, decimals)} available ({AmountText.Format(balance, decimals)} balance minus {AmountText.Format(pending, decimals)} in pending transfers); mint more or send fewer.";
    }

    /// <summary>The amount of <paramref name="data"/> when it is an ERC-20 <c>transfer(address,uint256)</c> call.</summary>
    public static bool TryReadTransfer(byte[] data, out UInt256 amount)
    {
        amount = default;
        data = BusinessKeyTag.Strip(data).ToArray();
        if (data.Length != 68 || !data.AsSpan(0, 4).SequenceEqual(s_transferSelector))
        {
            return false;
        }

        amount = UInt256.FromBigEndian(data.AsSpan(36, 32));
        return true;
    }

    private static string Field(string rowField, string member) => rowField.Length == 0 ? member : rowField + "." + member;

    private static InputReader FieldsFor(InputReader reader, string field) => new(default, reader.Errors, field.Length == 0 ? "" : field + ".");
}
