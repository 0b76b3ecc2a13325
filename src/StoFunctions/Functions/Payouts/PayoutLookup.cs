using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Functions.Tokens;

namespace StoFunctions.Functions.Payouts;

/// <summary>Finds a token's distributor and one of its payouts, reporting what is missing as input errors.</summary>
public static class PayoutLookup
{
    /// <summary>A payout as <c>getPayout</c> returns it.</summary>
    /// <param name="Distributor">The token's distributor.</param>
    /// <param name="Id">The payout id.</param>
    /// <param name="Asset">The paid ERC-20.</param>
    /// <param name="Amount">Raw amount received by the distributor.</param>
    /// <param name="SnapshotId">The snapshot the shares follow.</param>
    /// <param name="ClaimDeadline">Unix seconds; claims and pushes end, reclaim starts after it.</param>
    /// <param name="Base">Supply at the snapshot minus the excluded balances.</param>
    /// <param name="Claimed">Raw amount paid so far.</param>
    /// <param name="Reclaimed">Whether the rest went back to the issuer.</param>
    public sealed record Payout(Address Distributor, ulong Id, Address Asset, UInt256 Amount, ulong SnapshotId, ulong ClaimDeadline, UInt256 Base, UInt256 Claimed, bool Reclaimed);

    /// <summary>Payout <paramref name="id"/> of <paramref name="token"/>, or null with an error in <paramref name="reader"/>.</summary>
    public static async Task<Payout?> FindAsync(IssuerChain chain, InputReader reader, Address token, ulong id, CancellationToken cancellationToken)
    {
        (Address Address, Pipeline.Ledger.TransactionState State)? found = await ActionContracts.FindAsync(chain, token, ActionContracts.Distributor, cancellationToken).ConfigureAwait(false);
        byte[] code = found is { } f ? await chain.Rpc.GetCodeAsync(f.Address, cancellationToken: cancellationToken).ConfigureAwait(false) : [];
        if (found is null || code.Length == 0)
        {
            reader.Add("token", $"{token} has no payout distributor yet; create a payout with POST /api/tokens/{token}/payouts (and wait for it to complete) first.");
            return null;
        }

        Address distributor = found.Value.Address;
        var p = PayoutDistributorContract.DecodeGetPayout(await TokenReads.CallAsync(chain.Rpc, distributor, PayoutDistributorContract.GetPayout(id), cancellationToken).ConfigureAwait(false));
        if (p.Asset == Address.Zero)
        {
            ulong count = (ulong)PayoutDistributorContract.DecodePayoutCount(await TokenReads.CallAsync(chain.Rpc, distributor, PayoutDistributorContract.PayoutCount(), cancellationToken).ConfigureAwait(false));
            reader.Add("payoutId", $"Payout {id} does not exist on {distributor}; it has payouts 1 to {count} (a payout appears once its create command completed).");
            return null;
        }

        return new Payout(distributor, id, p.Asset, p.Amount, (ulong)p.SnapshotId, p.ClaimDeadline, p.Base, p.Claimed, p.Reclaimed);
    }
}
