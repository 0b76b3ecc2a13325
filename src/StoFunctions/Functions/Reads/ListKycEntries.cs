using System.Buffers.Binary;
using System.Globalization;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.CorporateActions;
using StoFunctions.Functions.Kyc;
using StoFunctions.Functions.Tokens;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Functions.Reads;

/// <summary>
/// <c>GET /api/kyc-registries/{registry}/entries?key=KYC&amp;limit=&amp;continuationToken=</c> [sto kyc-list]: every
/// address with a value under one key, by address. Candidates are the accounts of the registry's
/// <c>AddressRestrictionUpdated</c> events for that key (read in block ranges from its creation to the head, the
/// latest event per account), each confirmed with <c>getAddressRestriction</c> at that head: an account whose value
/// was cleared is left out, and the value shown is the chain's. The registry may be a restricted token that keeps
/// its own values (same event).
/// </summary>
public static class ListKycEntries
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    /// <summary><c>GET /api/kyc-registries/{registry}/entries</c>.</summary>
    [Function("ListKycEntries")]
    public static Task<IResult> ListKycEntriesAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "kyc-registries/{registry}/entries")] HttpRequest request, string registry, CancellationToken cancellationToken) =>
        HandleAsync(registry, request.Query, request.HttpContext.RequestServices.GetRequiredService<Platform>(), request.HttpContext.RequestServices.GetRequiredService<ScanStore>(), cancellationToken);

    private static async Task<IResult> HandleAsync(string registryText, IQueryCollection query, Platform platform, ScanStore scans, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Address.TryParse(registryText, out Address registry))
        {
            errors["registry"] = [$"'{EchoText.Bounded(registryText)}' is not a valid address (mixed case must pass EIP-55)."];
        }

        ulong key = IssueToken.KycKey;
        if (query["key"].FirstOrDefault() is { } keyText && !SetKycEntries.TryParseKey(keyText, out key))
        {
            errors["key"] = [$"'{EchoText.Bounded(keyText)}' is not a key; use \"KYC\" or an integer from 0 to 2^64-1."];
        }

        int limit = DefaultLimit;
        if (query["limit"].FirstOrDefault() is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"'{EchoText.Bounded(limitText)}' must be an integer from 1 to {MaxLimit}."];
        }

        Address? after = null;
        if (query["continuationToken"].FirstOrDefault() is { } tokenText)
        {
            if (Address.TryParse(tokenText, out Address a))
            {
                after = a;
            }
            else
            {
                errors["continuationToken"] = ["Not a continuation token of this route; pass the continuationToken of the previous answer unchanged."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Result(400, "The KYC entries read is invalid: " + string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")), errors);
        }

        JsonRpcClient rpc = platform.Rpc;
        ulong head = await rpc.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
        ulong? from = await ChainLogs.FirstBlockAsync(scans, rpc, registry, head, cancellationToken).ConfigureAwait(false);
        if (from is null)
        {
            return ReadProblems.NoContract(registry, "registry");
        }

        byte[] keyTopic = new byte[32];
        BinaryPrimitives.WriteUInt64BigEndian(keyTopic.AsSpan(24), key);
        var last = new Dictionary<Address, LogEntry>();
        foreach (LogEntry log in await ChainLogs.GetAsync(rpc, registry, [KycRegistryContract.AddressRestrictionUpdatedTopic], from.Value, head, cancellationToken, null, Hash32.FromBytes(keyTopic)).ConfigureAwait(false))
        {
            last[Address.FromBytes(log.Topics[1].ToArray().AsSpan(12))] = log;
        }

        // Pages are cut from the candidates in address order, and only a page's candidates are confirmed; a cleared
        // candidate shortens its page rather than pulling the next one in, so every page costs one batch of calls.
        Address[] candidates = [.. last.Keys.Where(a => after is not { } x || a.CompareTo(x) > 0).Order().Take(limit + 1)];
        Address[] page = [.. candidates.Take(limit)];
        byte[]?[] values = await ActionReads.CallManyAsync(rpc, [.. page.Select(a => (registry, KycRegistryContract.GetAddressRestriction(key, a)))], head, cancellationToken).ConfigureAwait(false);
        var entries = new List<KycEntry>();
        for (int i = 0; i < page.Length; i++)
        {
            if (values[i] is not { Length: >= 32 } output)
            {
                return ReadProblems.NotAnswering(registry, "registry", "getAddressRestriction", page[i]);
            }

            ulong value = KycRegistryContract.DecodeGetAddressRestriction(output);
            if (value != ulong.MaxValue)
            {
                LogEntry change = last[page[i]];
                entries.Add(new KycEntry(page[i].ToString(), value, change.BlockNumber, change.TransactionHash?.ToString()));
            }
        }

        string? next = candidates.Length > limit ? page[^1].ToLowerHex() : null;
        return Results.Json(new KycEntryList(registry.ToString(), key, key == IssueToken.KycKey ? "KYC" : null, from.Value, head, entries, next), GetCommand.Json);
    }

    /// <summary>The answer.</summary>
    /// <param name="Registry">EIP-55 registry address.</param>
    /// <param name="Key">The restriction key.</param>
    /// <param name="KeyName"><c>KYC</c> for the KYC key, else null.</param>
    /// <param name="FromBlock">First block whose events were read.</param>
    /// <param name="AtBlock">The head the events were read to and the values confirmed at.</param>
    /// <param name="Entries">Addresses with a value, by address.</param>
    /// <param name="ContinuationToken">Pass it back for the next page; null on the last one.</param>
    public sealed record KycEntryList(string Registry, ulong Key, string? KeyName, ulong FromBlock, ulong AtBlock, IReadOnlyList<KycEntry> Entries, string? ContinuationToken);

    /// <summary>One address's value.</summary>
    /// <param name="Address">EIP-55 address.</param>
    /// <param name="Value">The on-chain value (1 = whitelisted under the KYC rule).</param>
    /// <param name="Block">Block of the last event that set it.</param>
    /// <param name="TransactionHash">That event's transaction.</param>
    public sealed record KycEntry(string Address, ulong Value, ulong? Block, string? TransactionHash);
}
