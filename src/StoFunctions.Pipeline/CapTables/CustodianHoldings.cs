using System.Numerics;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Pipeline.CapTables;

/// <summary>
/// Who owns a token's holding in a Custodian of its issuer: the custodian's <c>ReceivedTokens</c>,
/// <c>SentTokens</c> and <c>TransferOwnership</c> events for the token, folded per investor ID. The cap table shows
/// them under the custodian's row; the custodian's balance is the holding, so nothing is counted twice.
/// </summary>
public sealed class CustodianHoldings
{
    private const ulong RangeBlocks = 100_000;
    private readonly JsonRpcClient _rpc;

    /// <summary>Creates a reader.</summary>
    public CustodianHoldings(JsonRpcClient rpc)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        _rpc = rpc;
    }

    /// <summary>
    /// The custodians registered with the token's IssuingEntity now (none when the token has no entity or does not
    /// answer: tokens of other builds have no custodians).
    /// </summary>
    public async Task<IReadOnlySet<Address>> CustodiansAsync(Address token, CancellationToken cancellationToken)
    {
        try
        {
            Address entity = SecurityTokenContract.DecodeIssuingEntity(await _rpc.CallAsync(new CallRequest { To = token, Data = SecurityTokenContract.IssuingEntity() }, cancellationToken: cancellationToken).ConfigureAwait(false));
            if (entity == Address.Zero)
            {
                return new HashSet<Address>();
            }

            return IssuingEntityContract.DecodeGetCustodians(await _rpc.CallAsync(new CallRequest { To = entity, Data = IssuingEntityContract.GetCustodians() }, cancellationToken: cancellationToken).ConfigureAwait(false)).ToHashSet();
        }
        catch (Exception ex) when (ex is JsonRpcException or Ethereum.Abi.AbiException)
        {
            return new HashSet<Address>();
        }
    }

    /// <summary>Each investor ID's holding of <paramref name="token"/> in <paramref name="custodian"/> after <paramref name="toBlock"/>; zeros left out.</summary>
    public async Task<IReadOnlyDictionary<Hash32, BigInteger>> OwnersAsync(Address custodian, Address token, ulong fromBlock, ulong toBlock, CancellationToken cancellationToken)
    {
        byte[] padded = new byte[32];
        token.CopyTo(padded.AsSpan(12));
        IReadOnlyList<IReadOnlyList<Hash32>?> topics =
        [
            [CustodianContract.ReceivedTokensTopic, CustodianContract.SentTokensTopic, CustodianContract.TransferOwnershipTopic],
            [Hash32.FromBytes(padded)],
        ];
        var logs = new List<LogEntry>();
        for (ulong start = fromBlock; start <= toBlock; start += RangeBlocks)
        {
            ulong end = Math.Min(toBlock, start + RangeBlocks - 1);
            logs.AddRange(await RangeAsync(custodian, topics, start, end, cancellationToken).ConfigureAwait(false));
            if (end == ulong.MaxValue)
            {
                break;
            }
        }

        var owners = new Dictionary<Hash32, BigInteger>();
        foreach (LogEntry log in logs.OrderBy(l => l.BlockNumber).ThenBy(l => l.LogIndex))
        {
            BigInteger value = new(log.Data, isUnsigned: true, isBigEndian: true);
            if (log.Topics[0] == CustodianContract.TransferOwnershipTopic)
            {
                Add(owners, log.Topics[2], -value);
                Add(owners, log.Topics[3], value);
            }
            else
            {
                Add(owners, log.Topics[3], log.Topics[0] == CustodianContract.ReceivedTokensTopic ? value : -value);
            }
        }

        return owners.Where(o => !o.Value.IsZero).ToDictionary();
    }

    private static void Add(Dictionary<Hash32, BigInteger> owners, Hash32 id, BigInteger delta) =>
        owners[id] = owners.GetValueOrDefault(id) + delta;

    private async Task<List<LogEntry>> RangeAsync(Address custodian, IReadOnlyList<IReadOnlyList<Hash32>?> topics, ulong from, ulong to, CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyList<LogEntry> logs = await _rpc.GetLogsAsync(new LogFilter { FromBlock = from, ToBlock = to, Addresses = [custodian], Topics = topics }, cancellationToken).ConfigureAwait(false);
            return [.. logs.Where(l => !l.Removed)];
        }
        catch (Exception ex) when (from < to && !cancellationToken.IsCancellationRequested && ProviderLimits.IsRangeLimit(ex))
        {
            ulong mid = from + ((to - from) / 2);
            List<LogEntry> low = await RangeAsync(custodian, topics, from, mid, cancellationToken).ConfigureAwait(false);
            low.AddRange(await RangeAsync(custodian, topics, mid + 1, to, cancellationToken).ConfigureAwait(false));
            return low;
        }
    }
}
