using Microsoft.DurableTask.Client;
using System.Globalization;
using System.Text.Json;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Functions.Tokens;
using StoFunctions.Pipeline.CapTables;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Planning;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Functions.Payouts;

/// <summary>
/// <c>POST /api/tokens/{token}/direct-payouts</c> <c>{ externalId, asset, amount, atBlock, excluded? }</c>: the
/// off-chain pro-rata payout of sto's unreleased <c>payout-distribute</c> (research/sto.md §1.5), in ETH
/// (<c>asset: "ETH"</c>) or an ERC-20: one transfer per holder of the cap table at <c>atBlock</c>, of
/// <c>floor(balance × amount / base)</c> (<see cref="ProRata"/>).
/// <para>
/// The base is the total supply at that block minus the <c>excluded</c> holders' balances, so excluded shares go to
/// the others. The issuer is never paid (it would pay itself) but stays in the base, as in sto: its share simply
/// stays with it. Each transfer has the business key <c>{token}/!direct-payout/{externalId}/{holder}</c>, so a
/// payout's external id pays each holder at most once, however often and under whatever idempotency key it is sent.
/// </para>
/// <para>
/// The key sits in the service's own key space (<see cref="ActionContracts.ReservedPrefix"/>), which user external
/// ids cannot reach. Until then it was <c>{token}/direct-payout/…</c>, which a transfer with external id
/// <c>direct-payout/{externalId}/{holder}</c> could take first: the payout then adopted that transfer's nonce and
/// the holder was never paid. Migration: a payment planned under the old key is adopted under it (read only,
/// through <see cref="Pipeline.Ledger.LedgerTable.TryGetBusinessKeyAsync"/>) when its ledger transaction really is
/// a payment to that holder in that asset, so a payout sent before the upgrade and again after it pays nobody
/// twice; anything else under the old key (a user's transfer) is left alone.
/// </para>
/// </summary>
public sealed class DirectPayout(IssuerChain chain, TokenScanner scanner, CapTableBuilder capTables) : ICommandPlanner
{
    /// <summary>The most transfers one direct payout may plan.</summary>
    public const int MaxHolders = 5000;

    /// <inheritdoc />
    public string Name => "payout-direct";

    /// <summary><c>POST /api/tokens/{token}/direct-payouts</c>.</summary>
    [Function("DirectPayout")]
    public static Task<IResult> DirectPayoutAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/direct-payouts")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "payout-direct", bodyOptional: false, ("token", token));

    /// <summary>The business key of the transfer to <paramref name="holder"/> in direct payout <paramref name="externalId"/>.</summary>
    public static string BusinessKey(Address token, string externalId, Address holder) =>
        $"{token.ToLowerHex()}/{ActionContracts.ReservedPrefix}direct-payout/{externalId}/{holder.ToLowerHex()}";

    /// <summary>The key such transfers were planned under before internal keys had their own namespace (read only).</summary>
    public static string LegacyBusinessKey(Address token, string externalId, Address holder) =>
        $"{token.ToLowerHex()}/direct-payout/{externalId}/{holder.ToLowerHex()}";

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        ActionInput.RejectUnknown(reader, input, Name, "externalId", "asset", "amount", "atBlock", "excluded");
        Address? token = reader.Address("token");
        string? externalId = reader.String("externalId", maxLength: 100);
        string? assetText = reader.String("asset", maxLength: 42);
        Address? asset = null;
        if (assetText is not null && !assetText.Equals("ETH", StringComparison.OrdinalIgnoreCase))
        {
            asset = reader.ParseAddress("asset", assetText);
        }

        long? atBlock = reader.Integer("atBlock", 0, long.MaxValue, required: true);
        List<Address> excluded = ActionInput.Addresses(reader, "excluded");
        if (reader.Member("amount") is null)
        {
            reader.Add("amount", "Required: the total to pay, a decimal string in the asset's units (ETH: ether), e.g. \"100\".");
        }

        reader.ThrowIfInvalid();
        JsonRpcClient rpc = chain.Rpc;
        if (await TokenReads.DecimalsAsync(rpc, token!.Value, cancellationToken).ConfigureAwait(false) is null)
        {
            reader.Add("token", $"No token contract answers decimals() at {token}; check the address.");
        }

        int assetDecimals = 18;
        if (asset is Address a)
        {
            int? read = await TokenReads.DecimalsAsync(rpc, a, cancellationToken).ConfigureAwait(false);
            if (read is null)
            {
                reader.Add("asset", $"No ERC-20 answers decimals() at {a}; pass \"ETH\" or a token address.");
            }

            assetDecimals = read ?? 18;
        }

        ulong head = await rpc.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
        if ((ulong)atBlock!.Value > head)
        {
            reader.Add("atBlock", $"Block {atBlock} is after the chain's head {head}; pay on a past block.");
        }

        UInt256 total = reader.Amount("amount", assetDecimals) ?? UInt256.Zero;
        reader.ThrowIfInvalid();

        ulong block = (ulong)atBlock.Value;
        CapTable table;
        try
        {
            ScanCursor? cursor = await scanner.Store.GetCursorAsync(token.Value, cancellationToken).ConfigureAwait(false);
            if (cursor is null || cursor.LastBlock < block)
            {
                await scanner.ScanAsync(token.Value, toBlock: block, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            table = await capTables.BuildAsync(token.Value, new CapTableQuery { AtBlock = block, MaxEntries = int.MaxValue, OrderBy = CapTableOrder.Address, Descending = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (ScanException e)
        {
            reader.Add("atBlock", $"The cap table at block {block} could not be built: {e.Message}");
            reader.ThrowIfInvalid();
            return [];
        }

        var balances = table.Holders.Select(h => (Holder: Address.Parse(h.Address), Balance: UInt256.Parse(h.Raw))).ToList();
        UInt256 supply = PlainTokenContract.DecodeTotalSupply(await rpc.CallAsync(new CallRequest { To = token.Value, Data = PlainTokenContract.TotalSupply() }, block, cancellationToken).ConfigureAwait(false));
        UInt256 accounted = balances.Aggregate(UInt256.Zero, (sum, h) => sum + h.Balance);
        if (accounted != supply)
        {
            reader.Add("atBlock", $"The cap table at block {block} accounts for {accounted} raw units but the supply is {supply}; rescan the token (POST /api/tokens/{token}/scans with fromBlock) and retry.");
            reader.ThrowIfInvalid();
        }

        UInt256 excludedBalance = balances.Where(h => excluded.Contains(h.Holder)).Aggregate(UInt256.Zero, (sum, h) => sum + h.Balance);
        if (excludedBalance >= supply)
        {
            reader.Add("excluded", $"The excluded holders held the whole supply at block {block}; nobody would be paid.");
            reader.ThrowIfInvalid();
        }

        IReadOnlyList<(Address Holder, UInt256 Amount)> shares = ProRata.Split(
            balances.Where(h => !excluded.Contains(h.Holder) && h.Holder != chain.Issuer), total, supply - excludedBalance);
        if (shares.Count == 0)
        {
            reader.Add("amount", $"Every share of {assetText} {AmountText.Format(total, assetDecimals)} rounds to zero or belongs to the issuer; nothing to pay.");
        }
        else if (shares.Count > MaxHolders)
        {
            reader.Add("atBlock", $"{shares.Count} holders would be paid; at most {MaxHolders} per command. Use an on-chain payout (POST /api/tokens/{token}/payouts).");
        }

        reader.ThrowIfInvalid();
        UInt256 sum = shares.Aggregate(UInt256.Zero, (s, h) => s + h.Amount);
        UInt256 available = asset is Address paid
            ? await TokenReads.BalanceAsync(rpc, paid, chain.Issuer, cancellationToken).ConfigureAwait(false)
            : await rpc.GetBalanceAsync(chain.Issuer, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (available < sum)
        {
            reader.Add("amount", $"The shares total {AmountText.Format(sum, assetDecimals)} but the issuer {chain.Issuer} holds {AmountText.Format(available, assetDecimals)} {assetText}; fund it first.");
            reader.ThrowIfInvalid();
        }

        string unit = asset is null ? "ETH" : asset.Value.ToString();
        HashSet<Address> withCode = asset is null ? await WithCodeAsync(rpc, [.. shares.Select(s => s.Holder)], cancellationToken).ConfigureAwait(false) : [];

        // Each transfer estimated (batched): a holder that is a contract may run code on receiving ETH, and an
        // asset may charge anything for a transfer; one that would revert refuses the payout with its reason.
        var calls = shares.Select(s => new CallRequest
        {
            To = asset ?? s.Holder,
            Value = asset is null ? s.Amount : UInt256.Zero,
            Data = asset is null ? [] : PlainTokenContract.Transfer(s.Holder, s.Amount),
        }).ToList();
        ulong[] limits = await GasLimits.EstimateManyAsync(chain, reader, [.. calls.Select((c, i) => ("amount", c, $"payment to {shares[i].Holder}"))], cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();
        string[] keys = new string[shares.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, shares.Count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
            keys[i] = await KeyOfAsync(token.Value, externalId!, shares[i].Holder, calls[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        return [.. shares.Select((s, i) => new TransactionIntent
        {
            OmitTag = withCode.Contains(s.Holder),
            To = calls[i].To,
            Value = calls[i].Value!.Value,
            Data = calls[i].Data!,
            GasLimit = limits[i],
            BusinessKey = keys[i],
            Note = string.Create(CultureInfo.InvariantCulture, $"direct payout {externalId}: {AmountText.Format(s.Amount, assetDecimals)} {(asset is null ? "ETH" : "of " + unit)}"),
        })];
    }

    // The key of the payment to holder: the current one, unless nothing holds it and the legacy key holds this very
    // payment (planned before the key moved), which is then adopted under its old key instead of being paid again.
    private async Task<string> KeyOfAsync(Address token, string externalId, Address holder, CallRequest payment, CancellationToken cancellationToken)
    {
        string key = BusinessKey(token, externalId, holder);
        if (await chain.Ledger.TryGetBusinessKeyAsync(chain.Lane, key, cancellationToken).ConfigureAwait(false) is not null)
        {
            return key;
        }

        string legacy = LegacyBusinessKey(token, externalId, holder);
        if (await chain.Ledger.TryGetBusinessKeyAsync(chain.Lane, legacy, cancellationToken).ConfigureAwait(false) is not { } row)
        {
            return key;
        }

        ulong nonce = (ulong)row.GetInt64("Nonce")!.Value;
        List<LedgerTransaction> txs = await chain.Ledger.GetTransactionsAsync(chain.Lane, nonce, nonce, cancellationToken).ConfigureAwait(false);

        // The key row is written with its transaction row in one batch; without one there is nothing to tell it by,
        // and adopting is the side that cannot pay twice.
        return txs.Count != 1 || IsPaymentTo(txs[0], holder, payment) ? legacy : key;
    }

    // Whether the ledger transaction pays holder in the payment's asset (any amount: under one key the first amount
    // planned stands, as for the current key). A user's transfer of the token under the old key goes to the token
    // contract, not to the holder (ETH) or the asset (ERC-20), unless the asset is the token itself.
    private static bool IsPaymentTo(LedgerTransaction tx, Address holder, CallRequest payment)
    {
        if (payment.Data is not { Length: > 0 } call)
        {
            return tx.To == holder && !tx.Value.IsZero;
        }

        // transfer(address,uint256): the selector and the recipient word; the amount and any tag after them may differ.
        const int SelectorAndRecipient = 4 + 32;
        return tx.To == payment.To && tx.Value.IsZero && tx.Data.Length >= SelectorAndRecipient && tx.Data.AsSpan(0, SelectorAndRecipient).SequenceEqual(call.AsSpan(0, SelectorAndRecipient));
    }

    // An ETH payout carries its business-key tag only to addresses without code: a contract's receive() runs only
    // for empty call data, and its fallback may refuse the tag (README "Business-key tags").
    private static async Task<HashSet<Address>> WithCodeAsync(JsonRpcClient rpc, IReadOnlyList<Address> holders, CancellationToken cancellationToken)
    {
        var withCode = new HashSet<Address>();
        foreach (Address[] chunk in holders.Chunk(200))
        {
            JsonRpcBatch batch = rpc.CreateBatch();
            Task<byte[]?>[] codes = [.. chunk.Select(h => batch.Add<byte[]>("eth_getCode", h, BlockParameter.Latest))];
            await batch.SendAsync(cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < chunk.Length; i++)
            {
                if (await codes[i].ConfigureAwait(false) is { Length: > 0 })
                {
                    withCode.Add(chunk[i]);
                }
            }
        }

        return withCode;
    }
}
