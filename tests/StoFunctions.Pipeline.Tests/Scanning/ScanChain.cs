using System.Numerics;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.CapTables;
using StoFunctions.Pipeline.Faults;
using StoFunctions.Pipeline.Scanning;
using StoFunctions.Testing;

namespace StoFunctions.Pipeline.Tests.Scanning;

/// <summary>
/// One anvil plus the run's Azurite with fresh, prefixed scanner tables. Transactions go through
/// <c>eth_sendTransaction</c>, which anvil signs with its published dev keys.
/// </summary>
public sealed class ScanChain : IAsyncDisposable
{
    private const string Gas = "0x4c4b40";

    private ScanChain(AnvilProcess anvil, TableServiceClient tables, string prefix)
    {
        Anvil = anvil;
        Rpc = new JsonRpcClient(anvil.RpcUrl);
        Tables = tables;
        Prefix = prefix;
    }

    public AnvilProcess Anvil { get; }

    public JsonRpcClient Rpc { get; }

    public TableServiceClient Tables { get; }

    public string Prefix { get; }

    public static Address Account(int index) => Address.Parse(AnvilAccounts.Addresses[index]);

    public static async Task<ScanChain> StartAsync()
    {
        AnvilProcess anvil = await AnvilProcess.StartAsync();
        var tables = StorageAccount.FromConnectionString(await AzuriteProcess.SharedAsync()).Tables;
        return new ScanChain(anvil, tables, "t" + Guid.NewGuid().ToString("N")[..12]);
    }

    public ScannerOptions Options(Action<ScannerOptions>? configure = null)
    {
        var options = new ScannerOptions { TablePrefix = Prefix, TokensTable = Prefix + "tokens" };
        configure?.Invoke(options);
        return options;
    }

    public TokenScanner Scanner(ScannerOptions? options = null, FaultInjector? faults = null)
    {
        options ??= Options();
        return new TokenScanner(Rpc, new ScanStore(Tables, options, faults), options);
    }

    public CapTableBuilder CapTables(TokenScanner scanner) => new(Rpc, scanner.Store);

    public async Task<Address> DeployAsync(byte[] initCode, Address? from = null)
    {
        TransactionReceipt receipt = await SendAsync(from ?? Account(0), null, initCode, "0xe4e1c0");
        return receipt.ContractAddress!.Value;
    }

    public Task<Address> DeployPlainTokenAsync(BigInteger supply) =>
        DeployAsync(PlainTokenContract.Deploy("Moo Corp", "MOO", (UInt256)supply));

    public Task<Address> DeploySecurityTokenAsync() =>
        DeployAsync(SecurityTokenContract.Deploy("Comfy Clothing Shares", "CC", 18, "US0000000001", Account(0)));

    /// <summary>Sends and (with automine on) waits for a successful receipt.</summary>
    public async Task<TransactionReceipt> SendAsync(Address from, Address? to, byte[] data, string gas = Gas)
    {
        Hash32 hash = await SendNoWaitAsync(from, to, data, gas);
        TransactionReceipt receipt = await AnvilProcess.WaitForReceiptAsync(Rpc, hash);
        Assert.True(receipt.Succeeded, $"transaction {hash} reverted");
        return receipt;
    }

    public async Task<Hash32> SendNoWaitAsync(Address from, Address? to, byte[] data, string gas = Gas)
    {
        var tx = new Dictionary<string, object?> { ["from"] = from.ToString(), ["data"] = "0x" + Convert.ToHexStringLower(data), ["gas"] = gas };
        if (to is { } target)
        {
            tx["to"] = target.ToString();
        }

        return await Rpc.SendAsync<Hash32>("eth_sendTransaction", [tx]);
    }

    public async Task<BigInteger> BalanceOfAsync(Address token, Address holder, ulong? block = null)
    {
        byte[] output = await Rpc.CallAsync(new CallRequest { To = token, Data = PlainTokenContract.BalanceOf(holder) }, block is { } b ? BlockParameter.FromNumber(b) : BlockParameter.Latest);
        return (BigInteger)PlainTokenContract.DecodeBalanceOf(output);
    }

    public async Task<BigInteger> TotalSupplyAsync(Address token, ulong block)
    {
        byte[] output = await Rpc.CallAsync(new CallRequest { To = token, Data = PlainTokenContract.TotalSupply() }, block);
        return (BigInteger)PlainTokenContract.DecodeTotalSupply(output);
    }

    /// <summary>Every Transfer log of the token on the canonical chain, as stored RowKeys with from/to/value.</summary>
    public async Task<List<string>> CanonicalEventsAsync(Address token)
    {
        IReadOnlyList<LogEntry> logs = await Rpc.GetLogsAsync(new LogFilter
        {
            FromBlock = 0UL,
            ToBlock = BlockParameter.Latest,
            Addresses = [token],
            Topics = [[PlainTokenContract.TransferTopic]],
        });
        return [.. logs.Select(l => $"{TransferLog.EventKey(l.BlockNumber!.Value, l.LogIndex!.Value)} {l.BlockHash} {UInt256.FromBigEndian(l.Data)}")];
    }

    public static List<string> Describe(IEnumerable<TransferLog> events) =>
        [.. events.Select(e => $"{e.RowKey} {e.BlockHash} {e.Value}")];

    /// <summary>Requires every stored holder balance to equal <c>balanceOf</c> now, and every on-chain holder to be stored.</summary>
    public async Task AssertBalancesMatchChainAsync(Address token, TokenScanner scanner)
    {
        Dictionary<Address, HolderBalance> stored = await scanner.Store.LoadHoldersAsync(token);
        foreach (HolderBalance holder in stored.Values)
        {
            Assert.Equal(await BalanceOfAsync(token, holder.Holder), holder.Balance);
        }

        List<string> canonical = await CanonicalEventsAsync(token);
        Assert.Equal(canonical, Describe(await scanner.Store.ReadEventsAsync(token)));
    }

    /// <summary>Mines one block with the given timestamp (distinct timestamps make atTime exact).</summary>
    public Task MineAsync(long timestamp) => Anvil.RpcAsync("evm_mine", timestamp);

    public async ValueTask DisposeAsync()
    {
        Rpc.Dispose();
        await Anvil.DisposeAsync();
    }
}
