using System.Collections.Concurrent;
using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Tokens;
using StoFunctions.Pipeline.Commands;
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
    /// <inheritdoc />
    public async Task AdmitAsync(IReadOnlyList<PlannedCommand> batch, CancellationToken cancellationToken)
    {
        List<PlannedCommand> transfers = [.. batch.Where(c => c.Name is "transfer" or "distribute")];
        if (transfers.Count == 0)
        {
            return;
        }

        // An intent whose business key already holds a nonce was sent (or is open) before: it costs nothing new.
        var planned = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        IEnumerable<string> keys = transfers.SelectMany(c => c.Intents).Select(i => i.BusinessKey).OfType<string>().Distinct(StringComparer.Ordinal);
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (key, ct) =>
            planned[key] = (await chain.LedgerRows.GetEntityIfExistsAsync(chain.Lane.PartitionKey, CommandKeys.BusinessKeyRow(key), ct).ConfigureAwait(false)).HasValue).ConfigureAwait(false);

        var tokens = new Dictionary<Address, TokenBudget>();
        foreach (PlannedCommand command in transfers)
        {
            var totals = new Dictionary<Address, UInt256>();
            foreach (TransactionIntent intent in command.Intents)
            {
                if (intent.To is Address token && DistributionPlan.TryReadTransfer(intent.Data, out UInt256 amount) && !(intent.BusinessKey is { } key && planned[key]))
                {
                    totals[token] = totals.GetValueOrDefault(token) + amount;
                }
            }

            foreach ((Address token, UInt256 total) in totals)
            {
                if (!tokens.TryGetValue(token, out TokenBudget? budget))
                {
                    tokens[token] = budget = new TokenBudget(
                        await TokenReads.BalanceAsync(chain.Rpc, token, chain.Issuer, cancellationToken).ConfigureAwait(false),
                        await DistributionPlan.PendingTransfersAsync(chain, token, cancellationToken).ConfigureAwait(false),
                        await TokenReads.DecimalsAsync(chain.Rpc, token, cancellationToken).ConfigureAwait(false) ?? 0);
                }

                UInt256 available = budget.Balance > budget.Pending ? budget.Balance - budget.Pending : UInt256.Zero;
                if (total > available)
                {
                    command.Reject(new Dictionary<string, string[]> { ["amount"] = [DistributionPlan.ShortfallMessage(chain, total, budget.Balance, budget.Pending, budget.Decimals)] });
                    break;
                }
            }

            if (command.Rejection is null)
            {
                foreach ((Address token, UInt256 total) in totals)
                {
                    tokens[token].Pending += total;
                }
            }
        }
    }

    private sealed class TokenBudget(UInt256 balance, UInt256 pending, int decimals)
    {
        public UInt256 Balance { get; } = balance;

        public UInt256 Pending { get; set; } = pending;

        public int Decimals { get; } = decimals;
    }
}
