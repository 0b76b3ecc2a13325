using Azure.Data.Tables;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Tokens;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Distributions;

/// <summary>
/// The issuer's balance check of <c>transfer</c> and <c>distribute</c> commands, net of every open transfer of
/// the token, run once per submission batch right before nonces are allocated. Planning runs concurrently, so
/// two submissions could each see enough balance and together overdraw it; here the batch's earlier commands
/// count as pending for the later ones, and earlier batches are already in the ledger.
/// </summary>
public sealed class DistributionAdmission(IssuerChain chain) : ICommandAdmission
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    // Open transfer rows by nonce. A row's recipient and calldata never change once planned, so each batch reads
    // only the rows allocated since the previous one and drops those below the lane's cursor (closed).
    private readonly SortedDictionary<ulong, (Address Token, UInt256 Amount)> _openTransfers = [];
    private ulong _readUpTo;

    /// <inheritdoc />
    public async Task AdmitAsync(IReadOnlyList<PlannedCommand> batch, CancellationToken cancellationToken)
    {
        List<PlannedCommand> transfers = [.. batch.Where(c => c.Name is "transfer" or "distribute")];
        if (transfers.Count == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Dictionary<Address, Budget> budgets = await BudgetsAsync(transfers, cancellationToken).ConfigureAwait(false);
            // Counting every intent as new is the cheap first pass; only when that refuses something are the
            // business keys read, since rows planned before (a re-run) send nothing and cost nothing.
            List<(PlannedCommand Command, Dictionary<string, string[]> Errors)> refused = Decide(transfers, budgets, _ => false);
            if (refused.Count > 0)
            {
                HashSet<string> planned = await PlannedKeysAsync(transfers, cancellationToken).ConfigureAwait(false);
                refused = Decide(transfers, await BudgetsAsync(transfers, cancellationToken).ConfigureAwait(false), planned.Contains);
            }

            foreach ((PlannedCommand command, Dictionary<string, string[]> errors) in refused)
            {
                command.Reject(errors);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private List<(PlannedCommand, Dictionary<string, string[]>)> Decide(List<PlannedCommand> transfers, Dictionary<Address, Budget> budgets, Func<string, bool> wasPlanned)
    {
        var refused = new List<(PlannedCommand, Dictionary<string, string[]>)>();
        foreach (PlannedCommand command in transfers)
        {
            Dictionary<Address, UInt256> totals = Totals(command, wasPlanned);
            (Address token, UInt256 total)? over = null;
            foreach ((Address token, UInt256 total) in totals)
            {
                Budget budget = budgets[token];
                if (total > (budget.Balance > budget.Pending ? budget.Balance - budget.Pending : UInt256.Zero))
                {
                    over = (token, total);
                    break;
                }
            }

            if (over is (Address t, UInt256 sum))
            {
                Budget budget = budgets[t];
                refused.Add((command, new Dictionary<string, string[]> { ["amount"] = [DistributionPlan.ShortfallMessage(chain, sum, budget.Balance, budget.Pending, budget.Decimals)] }));
                continue;
            }

            foreach ((Address token, UInt256 total) in totals)
            {
                budgets[token].Pending += total;
            }
        }

        return refused;
    }

    private static Dictionary<Address, UInt256> Totals(PlannedCommand command, Func<string, bool> wasPlanned)
    {
        var totals = new Dictionary<Address, UInt256>();
        foreach (TransactionIntent intent in command.Intents)
        {
            if (intent.To is Address token && DistributionPlan.TryReadTransfer(intent.Data, out UInt256 amount) && !(intent.BusinessKey is { } key && wasPlanned(key)))
            {
                totals[token] = totals.GetValueOrDefault(token) + amount;
            }
        }

        return totals;
    }

    private async Task<Dictionary<Address, Budget>> BudgetsAsync(List<PlannedCommand> transfers, CancellationToken cancellationToken)
    {
        // The ledger first, then the chain: a row the ledger already shows Confirmed (dropped from the open rows) was
        // mined before the block the balances are read at, so the balance holds it. Read the other way round, a row
        // mined and confirmed in between would be in neither.
        await RefreshOpenTransfersAsync(cancellationToken).ConfigureAwait(false);
        Address[] tokens = [.. transfers.SelectMany(c => Totals(c, _ => false).Keys).Distinct()];
        (ulong block, ulong mined, byte[]?[] balanceWords) = await ReadBalancesAsync(tokens, cancellationToken).ConfigureAwait(false);

        var budgets = new Dictionary<Address, Budget>();
        for (int t = 0; t < tokens.Length; t++)
        {
            UInt256 pending = UInt256.Zero;
            foreach ((ulong nonce, (Address to, UInt256 amount)) in _openTransfers)
            {
                if (nonce >= mined && to == tokens[t])
                {
                    pending += amount;
                }
            }

            byte[] balance = balanceWords[t] ?? throw new InvalidOperationException($"The node answered balanceOf({chain.Issuer}) on token {tokens[t]} at block {block} with null.");
            int decimals = await chain.Decimals.GetAsync(tokens[t], cancellationToken).ConfigureAwait(false) ?? 0;
            budgets[tokens[t]] = new Budget(SecurityTokenContract.DecodeBalanceOf(balance), pending, decimals);
        }

        return budgets;
    }

    // Balance and mined nonces at one block (one JSON-RPC batch after the block number): a transfer mined by then is
    // in the balance and no longer pending; one mined later is still pending there. Reading both at "latest" could
    // see a transfer in neither.
    private async Task<(ulong Block, ulong Mined, byte[]?[] Balances)> ReadBalancesAsync(Address[] tokens, CancellationToken cancellationToken)
    {
        ulong block = await chain.Rpc.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
        JsonRpcBatch reads = chain.Rpc.CreateBatch();
        Task<ulong> mined = reads.Add<ulong>("eth_getTransactionCount", chain.Issuer, BlockParameter.FromNumber(block));
        Task<byte[]?>[] balances = [.. tokens.Select(token => reads.Add<byte[]>("eth_call", new CallRequest { To = token, Data = SecurityTokenContract.BalanceOf(chain.Issuer) }, BlockParameter.FromNumber(block)))];
        await reads.SendAsync(cancellationToken).ConfigureAwait(false);
        return (block, await mined.ConfigureAwait(false), await Task.WhenAll(balances).ConfigureAwait(false));
    }

    // Open means planned, signed, sent or mined but not yet confirmed; which of them are still to leave the balance
    // is decided against the mined nonce count of the block the balance is read at.
    private async Task RefreshOpenTransfersAsync(CancellationToken cancellationToken)
    {
        Task<LedgerAccount?> accountRead = chain.Ledger.GetAccountAsync(chain.Lane, cancellationToken);
        Task<(ulong OpenFrom, global::Azure.ETag ETag)> cursorRead = chain.Ledger.GetCursorAsync(chain.Lane, cancellationToken);
        ulong next = (await accountRead.ConfigureAwait(false))?.NextNonce ?? 0;
        (ulong openFrom, _) = await cursorRead.ConfigureAwait(false);
        if (next < _readUpTo)
        {
            // The lane's nonces were restarted: what was read no longer describes the ledger.
            _openTransfers.Clear();
            _readUpTo = 0;
        }

        _readUpTo = Math.Max(_readUpTo, openFrom);
        if (_readUpTo < next)
        {
            foreach (LedgerTransaction tx in await chain.Ledger.GetTransactionsAsync(chain.Lane, _readUpTo, next - 1, cancellationToken).ConfigureAwait(false))
            {
                if (tx.State is TransactionState.Planned or TransactionState.Signed or TransactionState.Broadcast or TransactionState.Mined &&
                    tx.To is Address to && DistributionPlan.TryReadTransfer(tx.Data, out UInt256 amount))
                {
                    _openTransfers[tx.Nonce] = (to, amount);
                }
            }

            _readUpTo = next;
        }

        foreach (ulong closed in _openTransfers.Keys.TakeWhile(n => n < openFrom).ToList())
        {
            _openTransfers.Remove(closed);
        }
    }

    private async Task<HashSet<string>> PlannedKeysAsync(List<PlannedCommand> transfers, CancellationToken cancellationToken)
    {
        string[] keys = [.. transfers.SelectMany(c => c.Intents).Select(i => i.BusinessKey).OfType<string>().Distinct(StringComparer.Ordinal)];
        TableEntity?[] rows = await chain.Ledger.GetBusinessKeysAsync(chain.Lane, keys, cancellationToken).ConfigureAwait(false);
        return [.. keys.Where((_, i) => rows[i] is not null)];
    }

    private sealed class Budget(UInt256 balance, UInt256 pending, int decimals)
    {
        public UInt256 Balance { get; } = balance;

        // For the refusal's message only; TokenDecimals reads it once per token and process.
        public int Decimals { get; } = decimals;

        public UInt256 Pending { get; set; } = pending;
    }
}
