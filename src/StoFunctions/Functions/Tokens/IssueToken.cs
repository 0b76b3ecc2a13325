using Microsoft.DurableTask.Client;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Planning;

using StoFunctions.Hosting;

namespace StoFunctions.Functions.Tokens;

/// <summary>
/// <c>POST /api/tokens</c> [issue]: deploy a <c>SecurityToken</c>, configure it and mint <c>amount</c> to the
/// issuer, as one command whose transactions take consecutive nonces; <c>output.tokenAddress</c> is the CREATE
/// address predicted from the issuer and the deployment's nonce. <c>restriction: "restricted"</c> adds the KYC
/// rule (values in <c>kycRegistry</c>, or in the token itself when none is given).
/// </summary>
public sealed class IssueToken(IssuerChain chain) : ICommandPlanner
{
    /// <summary>The named restriction key "KYC" (design: named keys map to u64 rule keys).</summary>
    public const ulong KycKey = 1;

    private const byte Eq = 1;

    /// <inheritdoc />
    public string Name => "issue";

    /// <summary><c>POST /api/tokens</c>.</summary>
    [Function("IssueToken")]
    public static Task<IResult> IssueTokenAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        HandleAsync(request.HttpContext, durable);

    private static async Task<IResult> HandleAsync(HttpContext context, DurableTaskClient durable)
    {
        (JsonObject? body, IResult? problem) = await CommandEndpoint.ReadObjectAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        IResult result = await CommandEndpoint.SubmitAsync(context, durable, "issue", body).ConfigureAwait(false);
        if (result is Microsoft.AspNetCore.Http.HttpResults.Accepted<CommandEndpoint.Submitted> accepted)
        {
            await RecordAsync(context.RequestServices.GetRequiredService<Platform>(), accepted.Value!.Id, context.RequestAborted).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Writes the <c>tokens</c> row of issue command <paramref name="id"/> (idempotent).</summary>
    public static async Task RecordAsync(Platform platform, string id, CancellationToken cancellationToken)
    {
        CommandStatus? status = await platform.Commands.GetStatusAsync(id, cancellationToken).ConfigureAwait(false);
        if (status?.Output?.Transactions.FirstOrDefault() is not { } deployment)
        {
            return;
        }

        // The deployment is the command's first transaction: its CREATE address is known from its nonce before it is mined.
        Address token = ContractAddress.Create(platform.Issuer, deployment.Nonce);
        JsonElement input = status.Input;
        var row = new TableEntity(Platform.TokenPartition, token.ToLowerHex())
        {
            ["Address"] = token.ToString(),
            ["Name"] = input.GetProperty("name").GetString(),
            ["Symbol"] = input.GetProperty("symbol").GetString(),
            ["Decimals"] = Decimals(input),
            ["CommandId"] = id,
        };
        await platform.Tokens.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    private static int Decimals(JsonElement input) =>
        input.TryGetProperty("decimals", out JsonElement d) && d.ValueKind != JsonValueKind.Null
            ? d.ValueKind == JsonValueKind.Number ? d.GetInt32() : int.Parse(d.GetString()!, CultureInfo.InvariantCulture)
            : 18;

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        string? name = reader.String("name", maxLength: 100);
        string? symbol = reader.String("symbol", maxLength: 20);
        string url = reader.Uri("url", required: false) ?? "";
        int decimals = (int)(reader.Integer("decimals", 0, 36) ?? 18);
        UInt256? amount = reader.Amount("amount", decimals, allowZero: true);
        string restriction = reader.String("restriction", required: false, maxLength: 20) ?? "unrestricted";
        if (restriction is not ("unrestricted" or "restricted"))
        {
            reader.Add("restriction", $"'{EchoText.Bounded(restriction)}' is unknown; use \"unrestricted\" or \"restricted\".");
        }

        Address? registry = reader.Member("kycRegistry") is null ? null : reader.Address("kycRegistry");
        if (registry is not null && restriction != "restricted")
        {
            reader.Add("kycRegistry", "Only with restriction \"restricted\".");
        }

        reader.ThrowIfInvalid();
        if (registry is Address r)
        {
            await CheckRegistryAsync(reader, r, cancellationToken).ConfigureAwait(false);
            reader.ThrowIfInvalid();
        }

        byte[] deploy = SecurityTokenContract.Deploy(name!, symbol!, (byte)decimals, "", chain.Issuer);
        ulong deployGas = await GasLimits.EstimateAsync(chain, reader, "name", new CallRequest { Data = deploy }, "SecurityToken deployment", cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();
        var intents = new List<TransactionIntent>
        {
            new() { Data = deploy, GasLimit = deployGas, Note = $"deploy SecurityToken {symbol}", OutputName = "tokenAddress" },
        };
        if (url.Length > 0)
        {
            intents.Add(new() { ToCreatedBy = 0, Data = SecurityTokenContract.SetTokenInformation(url, ""), GasLimit = FreshTokenGas.SetTokenInformation(System.Text.Encoding.UTF8.GetByteCount(url)), Note = "set token information" });
        }

        if (restriction == "restricted")
        {
            intents.Add(new() { ToCreatedBy = 0, Data = SecurityTokenContract.SetGlobalRestriction(KycKey, registry ?? Address.Zero, 1, Eq), GasLimit = FreshTokenGas.SetGlobalRestriction, Note = "require KYC" });
            intents.Add(new() { ToCreatedBy = 0, Data = SecurityTokenContract.SetKycRestrictionKey(KycKey), GasLimit = FreshTokenGas.SetKycRestrictionKey, Note = "name the KYC rule" });
            if (registry is null)
            {
                intents.Add(new() { ToCreatedBy = 0, Data = SecurityTokenContract.SetAddressRestriction(chain.Issuer, KycKey, 1), GasLimit = FreshTokenGas.SetAddressRestriction, Note = "whitelist the issuer" });
            }
        }

        if (amount is UInt256 a && a != UInt256.Zero)
        {
            intents.Add(new() { ToCreatedBy = 0, Data = SecurityTokenContract.Mint(chain.Issuer, a), GasLimit = FreshTokenGas.Mint(registry is not null), Note = $"mint {AmountText.Format(a, decimals)} {symbol} to the issuer" });
        }

        return intents;
    }

    private async Task CheckRegistryAsync(InputReader reader, Address registry, CancellationToken cancellationToken)
    {
        try
        {
            byte[] output = await TokenReads.CallAsync(chain.Rpc, registry, KycRegistryContract.GetAddressRestriction(KycKey, chain.Issuer), cancellationToken).ConfigureAwait(false);
            if (output.Length < 32)
            {
                reader.Add("kycRegistry", $"{registry} is not a KYC registry (no getAddressRestriction); deploy one with POST /api/kyc-registries.");
            }
            else if (KycRegistryContract.DecodeGetAddressRestriction(output) != 1)
            {
                reader.Add("kycRegistry", $"The issuer {chain.Issuer} is not whitelisted in {registry}, so minting to it would revert; POST /api/kyc-registries/{registry}/entries with its address first.");
            }
        }
        catch (JsonRpcException e)
        {
            reader.Add("kycRegistry", $"{registry} did not answer getAddressRestriction: {e.Message}");
        }
    }
}
