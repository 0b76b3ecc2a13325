using System.Text.Json.Nodes;
using Azure.Data.Tables;
using StoFunctions.Composition;
using StoFunctions.Contracts.Artifacts;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.Scanning;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Ledger;

namespace StoFunctions.Functions.Reads;

/// <summary>
/// <c>GET /api/tokens/{token}/source</c> [sto tx-verify]: what an explorer needs to verify a contract this service
/// deployed (the token, or any other contract created by the issuer's lane: a KYC registry, a payout distributor,
/// a ballot): the standard-JSON input of the build (<c>contracts/compile.js</c>), the contract's
/// <c>path:Name</c>, the compiler version, optimizer runs, EVM version and the ABI-encoded constructor arguments.
/// The contract is identified by its creation transaction in the ledger: its data (without the business-key tag)
/// is an artifact's creation code followed by the constructor arguments. A contract built by another version of
/// this service's contracts matches no artifact and gets 409.
/// </summary>
public static class GetContractSource
{
    /// <summary><c>GET /api/tokens/{token}/source</c>.</summary>
    [Function("GetContractSource")]
    public static Task<IResult> GetContractSourceAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tokens/{token}/source")] HttpRequest request, string token, CancellationToken cancellationToken) =>
        HandleAsync(token, request.HttpContext.RequestServices.GetRequiredService<Platform>(), cancellationToken);

    private static async Task<IResult> HandleAsync(string tokenText, Platform platform, CancellationToken cancellationToken)
    {
        if (ScanInput.TryToken(tokenText, out Address contract) is { } bad)
        {
            return bad;
        }

        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {platform.Lane.PartitionKey} and (ContractAddress eq {contract.ToString()} or ContractAddress eq {contract.ToLowerHex()})");
        TableEntity? creation = null;
        await foreach (TableEntity row in platform.LedgerRows.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey.StartsWith("tx-", StringComparison.Ordinal))
            {
                creation = row;
                break;
            }
        }

        string? state = creation?.GetString("State");
        if (creation is null || creation.GetString("RejectedError") is not null || state is not (nameof(TransactionState.Mined) or nameof(TransactionState.Confirmed)))
        {
            return Problems.Result(404, creation is null
                ? $"This service's ledger has no transaction that created {contract}; only contracts it deployed (issue, kyc-deploy, payout and ballot contracts) can be described."
                : $"The transaction that creates {contract} (nonce {creation.GetInt64("Nonce")}) is {state}, not mined; wait for its command to complete.",
                CommandEndpoint.Errors("token", "Not a contract deployed by this service."));
        }

        byte[] data = BusinessKeyTag.Strip(creation.GetBinary("Data") ?? []).ToArray();
        string? minedHash = creation.GetString("MinedHash");
        ContractArtifact? artifact = null;
        byte[] code = [];
        foreach (string name in ContractArtifact.Names)
        {
            ContractArtifact candidate = ContractArtifact.Load(name);
            byte[] candidateCode = Hex.Decode(candidate.Bytecode);
            // The longest match wins, should one contract's creation code ever start with another's.
            if (candidateCode.Length > code.Length && data.AsSpan().StartsWith(candidateCode))
            {
                (artifact, code) = (candidate, candidateCode);
            }
        }

        if (artifact is null)
        {
            return Problems.Result(409, $"{contract} was created (transaction {minedHash}) from creation code that no contract of this build produces; it was deployed by another version of the service's contracts, whose source is in that version's repository.",
                CommandEndpoint.Errors("token", "Built by another version of the contracts."));
        }

        JsonNode input = JsonNode.Parse(StandardJsonInput.Json)!;
        JsonNode? settings = input["settings"];
        return Results.Json(
            new JsonObject
            {
                ["address"] = contract.ToString(),
                ["contractName"] = $"{artifact.SourceName}:{artifact.ContractName}",
                ["compilerVersion"] = StandardJsonInput.ExplorerCompilerVersion(artifact.Compiler),
                ["codeFormat"] = "solidity-standard-json-input",
                ["optimizationUsed"] = settings?["optimizer"]?["enabled"]?.GetValue<bool>() ?? false,
                ["runs"] = settings?["optimizer"]?["runs"]?.GetValue<int>(),
                ["evmVersion"] = settings?["evmVersion"]?.GetValue<string>(),
                ["constructorArguments"] = Hex.Encode(data.AsSpan(code.Length)),
                ["transactionHash"] = minedHash,
                ["blockNumber"] = creation.GetInt64("BlockNumber"),
                ["standardJsonInput"] = input,
            },
            GetCommand.Json);
    }
}
