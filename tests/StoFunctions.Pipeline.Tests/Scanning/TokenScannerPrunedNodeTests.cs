using System.Numerics;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Scanning;
using StoFunctions.Testing;

namespace StoFunctions.Pipeline.Tests.Scanning;

/// <summary>
/// A node without historical state: anvil stopped and started again from its <c>--state</c> file (as <c>./dev up</c>
/// does across restarts) keeps blocks, receipts and logs but answers state queries only at the latest block, as a
/// pruned full node does. A first scan must not need more.
/// </summary>
public sealed class TokenScannerPrunedNodeTests
{
    [Fact]
    public async Task First_scans_on_an_anvil_restarted_from_its_state_file_complete_with_every_balance_equal_to_balanceOf()
    {
        string dir = Directory.CreateTempSubdirectory("sto-pruned-").FullName;
        string state = Path.Combine(dir, "state.json");
        Address issuer = ScanChain.Account(0);
        Address recorded, watched;
        ulong recordedAt, watchedAt;
        try
        {
            await using (AnvilProcess before = await AnvilProcess.StartAsync(extraArguments: ["--state", state]))
            {
                using var rpc = new JsonRpcClient(before.RpcUrl);
                await before.RpcAsync("anvil_mine", "0x20");
                (recorded, recordedAt) = await DeployAsync(rpc, issuer);
                await before.RpcAsync("anvil_mine", "0x20");
                (watched, watchedAt) = await DeployAsync(rpc, issuer);
                for (int i = 0; i < 24; i++)
                {
                    Address token = i % 3 == 0 ? watched : recorded;
                    await SendAsync(rpc, issuer, token, PlainTokenContract.Transfer(ScanChain.Account(1 + (i % 7)), (UInt256)(ulong)(1_000 + i)));
                    await SendAsync(rpc, ScanChain.Account(1 + (i % 7)), token, PlainTokenContract.Transfer(ScanChain.Account(8), (UInt256)(ulong)(1 + i)));
                }

                await before.RpcAsync("anvil_mine", "0x40");
                await before.StopAsync();
            }

            await using AnvilProcess after = await AnvilProcess.StartAsync(extraArguments: ["--state", state]);
            using var node = new JsonRpcClient(after.RpcUrl);
            Assert.True(await node.GetBlockNumberAsync() > watchedAt + 64, "the restarted anvil lost the chain");
            // The restarted node has no state for old blocks: the query the scanner used to find a deployment fails.
            await Assert.ThrowsAsync<JsonRpcException>(() => node.GetCodeAsync(recorded, recordedAt));

            var tables = StorageAccount.FromConnectionString(await AzuriteProcess.SharedAsync()).Tables;
            string prefix = "p" + Guid.NewGuid().ToString("N")[..12];
            var options = new ScannerOptions { TablePrefix = prefix, TokensTable = prefix + "tokens", InitialRangeBlocks = 16 };
            // The service's record of a token it issued (the tokens row with its deployment block).
            TableClient tokens = tables.GetTableClient(options.TokensTable);
            await tokens.CreateIfNotExistsAsync();
            await tokens.UpsertEntityAsync(new TableEntity("token", ScanStore.Key(recorded)) { ["Address"] = recorded.ToString(), ["DeploymentBlock"] = (long)recordedAt });

            var scanner = new TokenScanner(node, new ScanStore(tables, options), options);
            foreach ((Address token, ulong deployedAt) in new[] { (recorded, recordedAt), (watched, watchedAt) })
            {
                ScanResult result = await scanner.ScanAsync(token);
                Assert.Equal(await node.GetBlockNumberAsync(), result.LastBlock);
                Assert.Equal(deployedAt, (await scanner.Store.GetCursorAsync(token))!.StartBlock);
                Dictionary<Address, HolderBalance> holders = await scanner.Store.LoadHoldersAsync(token);
                Assert.Equal(9, holders.Count);
                foreach (HolderBalance holder in holders.Values)
                {
                    byte[] output = await node.CallAsync(new CallRequest { To = token, Data = PlainTokenContract.BalanceOf(holder.Holder) }, BlockParameter.Latest);
                    Assert.Equal((BigInteger)PlainTokenContract.DecodeBalanceOf(output), holder.Balance);
                }

                IReadOnlyList<LogEntry> logs = await node.GetLogsAsync(new LogFilter { FromBlock = 0UL, ToBlock = BlockParameter.Latest, Addresses = [token], Topics = [[PlainTokenContract.TransferTopic]] });
                Assert.Equal(logs.Select(l => TransferLog.EventKey(l.BlockNumber!.Value, l.LogIndex!.Value)), (await scanner.Store.ReadEventsAsync(token)).Select(e => e.RowKey));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(Address Token, ulong Block)> DeployAsync(JsonRpcClient rpc, Address from)
    {
        TransactionReceipt receipt = await SendAsync(rpc, from, null, PlainTokenContract.Deploy("Pruned", "PRN", (UInt256)BigInteger.Pow(10, 24)));
        return (receipt.ContractAddress!.Value, receipt.BlockNumber);
    }

    private static async Task<TransactionReceipt> SendAsync(JsonRpcClient rpc, Address from, Address? to, byte[] data)
    {
        var tx = new Dictionary<string, object?> { ["from"] = from.ToString(), ["data"] = "0x" + Convert.ToHexStringLower(data), ["gas"] = "0x4c4b40" };
        if (to is { } target)
        {
            tx["to"] = target.ToString();
        }

        Hash32 hash = await rpc.SendAsync<Hash32>("eth_sendTransaction", [tx]);
        TransactionReceipt receipt = await AnvilProcess.WaitForReceiptAsync(rpc, hash);
        Assert.True(receipt.Succeeded, $"transaction {hash} reverted");
        return receipt;
    }
}
