using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Functions.Tokens;

/// <summary>
/// <c>GET /api/tokens</c> [issue-logs]: the tokens issued by this deployment with their issue commands. The
/// deployment block is filled into the <c>tokens</c> row once the deployment is mined (the scanner starts there).
/// </summary>
public static class ListTokens
{
    /// <summary><c>GET /api/tokens</c>.</summary>
    [Function("ListTokens")]
    public static Task<IResult> ListTokensAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "tokens")] HttpRequest request, CancellationToken cancellationToken) =>
        HandleAsync(request.HttpContext.RequestServices.GetRequiredService<Platform>(), cancellationToken);

    private static async Task<IResult> HandleAsync(Platform platform, CancellationToken cancellationToken)
    {
        var tokens = new List<Item>();
        await foreach (TableEntity row in platform.Tokens.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Platform.TokenPartition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            long? block = row.GetInt64("DeploymentBlock");
            string commandId = row.GetString("CommandId") ?? "";
            string runtimeStatus = "Unknown";
            if (await platform.Commands.GetStatusAsync(commandId, cancellationToken).ConfigureAwait(false) is CommandStatus status)
            {
                runtimeStatus = status.RuntimeStatus.ToString();
                if (block is null && status.Output?.Transactions.FirstOrDefault() is { Hash: { } hash } && status.Output.Transactions[0].Status == "Confirmed")
                {
                    block = await DeploymentBlockAsync(platform, hash, cancellationToken).ConfigureAwait(false);
                    if (block is long b)
                    {
                        await platform.Tokens.UpsertEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { ["DeploymentBlock"] = b }, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            tokens.Add(new Item(
                Address.Parse(row.GetString("Address") ?? row.RowKey).ToString(),
                row.GetString("Name") ?? "",
                row.GetString("Symbol") ?? "",
                row.GetInt32("Decimals") ?? 18,
                commandId,
                runtimeStatus,
                block));
        }

        return Results.Json(new { tokens }, Commands.GetCommand.Json);
    }

    private static async Task<long?> DeploymentBlockAsync(Platform platform, string hash, CancellationToken cancellationToken)
    {
        var receipt = await platform.Rpc.GetTransactionReceiptAsync(Hash32.Parse(hash), cancellationToken).ConfigureAwait(false);
        return receipt is null ? null : (long)receipt.BlockNumber;
    }

    /// <summary>One issued token.</summary>
    /// <param name="Address">EIP-55 address.</param>
    /// <param name="Name">Token name.</param>
    /// <param name="Symbol">Token symbol.</param>
    /// <param name="Decimals">Token decimals.</param>
    /// <param name="CommandId">The issue command.</param>
    /// <param name="RuntimeStatus">That command's status.</param>
    /// <param name="DeploymentBlock">The block of the deployment once mined.</param>
    public sealed record Item(string Address, string Name, string Symbol, int Decimals, string CommandId, string RuntimeStatus, long? DeploymentBlock);
}
