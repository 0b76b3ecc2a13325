using System.Net.Http.Json;
using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Testing;

/// <summary>
/// A real anvil (from <c>tools/node_modules</c>) on a free loopback port. Each instance is its own chain, so a
/// test class that reorgs, rolls back or fills blocks disturbs nobody else.
/// </summary>
public sealed class AnvilProcess : IAsyncDisposable
{
    private readonly IReadOnlyList<string> _arguments;
    private readonly string _home;
    private ChildProcess _process;

    private AnvilProcess(ChildProcess process, int port, long chainId, IReadOnlyList<string> arguments, string home)
    {
        _process = process;
        _arguments = arguments;
        _home = home;
        Port = port;
        ChainId = chainId;
        RpcUrl = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>The JSON-RPC endpoint.</summary>
    public Uri RpcUrl { get; }

    /// <summary>The TCP port anvil listens on.</summary>
    public int Port { get; }

    /// <summary>The chain id (31337 unless asked otherwise).</summary>
    public long ChainId { get; }

    /// <summary>The id of anvil's process (a restart changes it).</summary>
    public int ProcessId => _process.Id;

    /// <summary>What anvil printed (for failure messages).</summary>
    public string Output => _process.Output;

    /// <summary>
    /// Starts anvil and waits until it answers <c>eth_chainId</c>. By default blocks are mined on each
    /// transaction (automine); pass <paramref name="blockTimeSeconds"/> for interval mining.
    /// </summary>
    public static async Task<AnvilProcess> StartAsync(long chainId = 31337, double? blockTimeSeconds = null, IEnumerable<string>? extraArguments = null, CancellationToken cancellationToken = default)
    {
        string binary = Path.Combine(RepoPaths.ToolsBin, "anvil");
        if (!File.Exists(binary))
        {
            throw new FileNotFoundException($"anvil is not installed at {binary}. Run './dev install' (npm ci in tools/).", binary);
        }

        for (int attempt = 0; ; attempt++)
        {
            int port = FreePort.Next();
            var args = new List<string>
            {
                "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--chain-id", chainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--accounts", "20", "--silent",
            };
            if (blockTimeSeconds is double bt)
            {
                args.AddRange(["--block-time", bt.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }

            if (extraArguments is not null)
            {
                args.AddRange(extraArguments);
            }

            string home = Directory.CreateTempSubdirectory("sto-anvil-").FullName;
            ChildProcess process = ChildProcess.Start(binary, args, HomeEnvironment(home));
            var anvil = new AnvilProcess(process, port, chainId, args, home);
            if (await anvil.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false))
            {
                return anvil;
            }

            string output = process.Output;
            await anvil.DisposeAsync().ConfigureAwait(false);
            if (attempt >= 2)
            {
                throw new InvalidOperationException($"anvil did not become ready on port {port}:\n{output}");
            }
        }
    }

    /// <summary>Sends one JSON-RPC request (for test setup: anvil_* cheat codes, mining) and returns its result.</summary>
    public async Task<JsonElement> RpcAsync(string method, params object?[] parameters)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using HttpResponseMessage response = await http.PostAsJsonAsync(RpcUrl, new { jsonrpc = "2.0", id = 1, method, @params = parameters }).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
        if (doc.RootElement.TryGetProperty("error", out JsonElement error))
        {
            throw new InvalidOperationException($"{method} failed: {error.GetRawText()}");
        }

        return doc.RootElement.GetProperty("result").Clone();
    }

    /// <summary>
    /// Sends <paramref name="transaction"/> with <c>eth_sendTransaction</c> (anvil signs with its dev keys) and returns
    /// its hash once the receipt is visible: automine answers with the hash before the block is queryable, and on a
    /// loaded machine a read right after the answer still sees the old nonce and balances.
    /// </summary>
    public async Task<string> SendTransactionAndWaitAsync(object transaction)
    {
        Hash32 hash = Hash32.Parse((await RpcAsync("eth_sendTransaction", transaction).ConfigureAwait(false)).GetString()!);
        using var rpc = new JsonRpcClient(RpcUrl);
        await WaitForReceiptAsync(rpc, hash).ConfigureAwait(false);
        return hash.ToString();
    }

    /// <summary>
    /// The receipt of <paramref name="hash"/> (reverted or not; the caller asserts what it expects), read through
    /// <paramref name="rpc"/> until the node has it: the one way tests wait for a transaction they sent outside the
    /// pipeline. With automine the receipt is there at once or after a few polls, but a machine running several
    /// suites (load average 40+ on 2 cores) has delayed it by seconds, so the deadline is generous.
    /// </summary>
    /// <exception cref="TimeoutException">No receipt within <paramref name="timeout"/> (120 s by default); the message names the hash and the node.</exception>
    public static async Task<TransactionReceipt> WaitForReceiptAsync(JsonRpcClient rpc, Hash32 hash, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(120);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (await rpc.GetTransactionReceiptAsync(hash).ConfigureAwait(false) is { } receipt)
            {
                return receipt;
            }

            if (waited.Elapsed > limit)
            {
                throw new TimeoutException($"The node at {rpc.Endpoint} has no receipt for {hash} after {limit.TotalSeconds:F0} s: with automine off nothing mines it (evm_mine), else the node dropped it (check its nonce and fees in the node's log).");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops anvil gracefully (SIGTERM). Started with <c>--state {file}</c>, it writes its state there on exit, so
    /// <see cref="RestartAsync"/> continues the same chain (as <c>./dev up</c> does; state of old blocks is not kept).
    /// </summary>
    public async Task StopAsync()
    {
        // Mining stops first, as a node's graceful shutdown finishes its last block: anvil's exit dump, taken while
        // automine seals a block, can store the accounts of that block without the block (reproduced: sender nonce
        // 2,700 after the restart, its highest nonce in any block 2,679), and no node can then say which
        // transactions took those nonces. Transactions sent after this wait in the pool, which is not dumped.
        // Turning automine off does not wait for a block it is sealing (the same stuck nonces came back, 1 run in 5
        // under load); a block mined on request queues behind that one, so once it is sealed nothing is mid-block.
        try
        {
            await RpcAsync("evm_setAutomine", false).ConfigureAwait(false);
            await RpcAsync("evm_mine").ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            // Already unreachable: nothing is mining either.
        }

        if (!await _process.TerminateAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"anvil did not stop within 30 s of SIGTERM and was killed:\n{_process.Output}");
        }
    }

    /// <summary>Starts a stopped anvil again with the same arguments on the same port.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (_process.IsRunning)
        {
            throw new InvalidOperationException("anvil still runs; stop it first.");
        }

        await _process.DisposeAsync().ConfigureAwait(false);
        string binary = Path.Combine(RepoPaths.ToolsBin, "anvil");
        for (int attempt = 0; ; attempt++)
        {
            _process = ChildProcess.Start(binary, _arguments, HomeEnvironment(_home));
            if (await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            string output = _process.Output;
            await _process.DisposeAsync().ConfigureAwait(false);
            if (attempt >= 5)
            {
                throw new InvalidOperationException($"anvil did not restart on port {Port}:\n{output}");
            }

            await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Kills anvil at once, as a crash would.</summary>
    public void Kill() => _process.Kill();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover directory under the temp path costs disk, not correctness.
        }
    }

    // Anvil writes the states it evicts from memory under $HOME/.foundry/anvil/tmp and removes them only on a graceful
    // exit; tests kill it (SIGKILL), and a day of test and bench runs left 76 GB there and filled the disk. A home of
    // its own per process (a temp directory) is deleted with it.
    private static Dictionary<string, string> HomeEnvironment(string home) => new() { ["HOME"] = home };

    private async Task<bool> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        // A deadline, not an expectation: anvil is ready in well under a second on a quiet machine, but a machine
        // running two test suites at once (load average 40+ on 2 cores) was seen to need more than 30 s.
        DateTime deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline && _process.IsRunning)
        {
            try
            {
                // The answer must come from this process: on a port another process took first, another suite's
                // anvil (same chain id, same dev accounts) answers while this one exits.
                JsonElement id = await RpcAsync("eth_chainId").ConfigureAwait(false);
                if (id.ValueKind == JsonValueKind.String && ListeningPort.IsHeldBy(_process.Id, Port))
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }
}
