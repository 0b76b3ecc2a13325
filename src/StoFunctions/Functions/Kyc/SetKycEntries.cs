using Microsoft.DurableTask.Client;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.Tokens;
using StoFunctions.Pipeline.Planning;

using StoFunctions.Hosting;

namespace StoFunctions.Functions.Kyc;

/// <summary>
/// <c>POST /api/kyc-registries/{registry}/entries</c> [kyc-manage]: set address values in a registry, i.e.
/// whitelist. <c>{ address, key?, value? }</c> or <c>{ "entries": [...] }</c>; <c>key</c> is a u64 or the name
/// <c>KYC</c> (the default, the rule key <see cref="IssueToken.KycKey"/> that restricted issuance uses);
/// <c>value</c> defaults to 1. Entries with the same key go out as one batch transaction.
/// </summary>
public sealed class SetKycEntries(IssuerChain chain) : ICommandPlanner
{
    private const int MaxEntries = 200;

    /// <inheritdoc />
    public string Name => "kyc-entries";

    /// <summary><c>POST /api/kyc-registries/{registry}/entries</c>.</summary>
    [Function("SetKycEntries")]
    public static Task<IResult> SetKycEntriesAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "kyc-registries/{registry}/entries")] HttpRequest request, string registry, [DurableClient] DurableTaskClient durable) =>
        HandleAsync(registry, request.HttpContext, durable);

    private static async Task<IResult> HandleAsync(string registry, HttpContext context, DurableTaskClient durable)
    {
        (JsonObject? body, IResult? bad) = await CommandEndpoint.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return bad!;
        }

        body["registry"] = registry;
        return await CommandEndpoint.SubmitAsync(context, durable, "kyc-entries", body).ConfigureAwait(false);
    }

    /// <summary>The u64 key of a named or numeric key.</summary>
    public static bool TryParseKey(string text, out ulong key)
    {
        if (string.Equals(text, "KYC", StringComparison.OrdinalIgnoreCase))
        {
            key = IssueToken.KycKey;
            return true;
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out key);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        Address? registry = reader.Address("registry");
        var entries = new List<(string Field, JsonElement Element)>();
        if (reader.Member("entries") is JsonElement list)
        {
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > MaxEntries)
            {
                reader.Add("entries", $"Must be an array of 1 to {MaxEntries} {{address, key?, value?}}.");
            }
            else
            {
                int i = 0;
                foreach (JsonElement e in list.EnumerateArray())
                {
                    entries.Add(("entries[" + i.ToString(CultureInfo.InvariantCulture) + "]", e));
                    i++;
                }
            }
        }
        else
        {
            entries.Add(("", input));
        }

        var byKey = new SortedDictionary<ulong, List<(Address Account, ulong Value)>>();
        foreach ((string field, JsonElement element) in entries)
        {
            var fields = new InputReader(element, reader.Errors, field.Length == 0 ? "" : field + ".");
            Address? account = fields.Address("address");
            ulong key = IssueToken.KycKey;
            if (fields.Member("key") is JsonElement k)
            {
                string text = k.ValueKind == JsonValueKind.Number ? k.GetRawText() : k.ValueKind == JsonValueKind.String ? k.GetString()! : "";
                if (!TryParseKey(text, out key))
                {
                    fields.Add("key", $"'{EchoText.Bounded(text)}' is not a key; use \"KYC\" or an integer from 0 to 2^64-1.");
                }
            }

            ulong value = fields.UInt64("value", 0, ulong.MaxValue) ?? 1;
            if (account is Address a)
            {
                if (!byKey.TryGetValue(key, out var accounts))
                {
                    byKey[key] = accounts = [];
                }

                accounts.Add((a, value));
            }
        }

        reader.ThrowIfInvalid();
        byte[] code = await chain.Rpc.GetCodeAsync(registry!.Value, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (code.Length == 0)
        {
            reader.Add("registry", $"No contract at {registry}; deploy a registry with POST /api/kyc-registries.");
            reader.ThrowIfInvalid();
        }

        var batches = byKey.Select(pair => (pair.Key, Data: KycRegistryContract.BatchSetAddressRestriction([.. pair.Value.Select(v => v.Account)], pair.Key, [.. pair.Value.Select(v => v.Value)]), pair.Value.Count)).ToList();
        ulong[] limits = await GasLimits.EstimateManyAsync(
            chain,
            reader,
            [.. batches.Select(b => ("registry", new CallRequest { To = registry, Data = b.Data }, $"update of key {b.Key}"))],
            cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();
        return [.. batches.Select((b, i) => new TransactionIntent
        {
            To = registry,
            Data = b.Data,
            GasLimit = limits[i],
            Note = $"set key {b.Key} for {b.Count} addresses",
        })];
    }
}
