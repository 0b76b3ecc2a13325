using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Testing;

namespace StoFunctions.Benchmarks.Api;

/// <summary>
/// The chain's own floor for N token transfers, and the ethers peer, each on the anvil it is given: the same
/// <c>SecurityToken</c> contract the API issues (deployed and minted by the issuer with <c>eth_sendTransaction</c>),
/// the same recipients and amounts as the distribution, transfers pre-signed before the clock starts.
/// </summary>
public static class ChainFloor
{
    /// <summary>Supply minted to the issuer, in whole tokens (18 decimals), the same as the API scenarios issue.</summary>
    public const ulong Supply = 1_000_000;

    private const ulong OneToken = 1_000_000_000_000_000_000UL;
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    /// <summary>The distribution's recipient <paramref name="index"/>: a fresh address per row, the same in every scenario.</summary>
    public static Address Recipient(int index) =>
        Address.FromBytes(Keccak256.Hash(Encoding.UTF8.GetBytes("sto-bench-holder-" + index.ToString(CultureInfo.InvariantCulture))).ToArray().AsSpan(12));

    /// <summary>Deploys a SecurityToken from the issuer (anvil's account 0) and mints <see cref="Supply"/> tokens to it.</summary>
    public static async Task<Address> DeployTokenAsync(AnvilProcess anvil, JsonRpcClient rpc)
    {
        string issuer = AnvilAccounts.Addresses[0];
        string deployHash = (await anvil.RpcAsync("eth_sendTransaction", new { from = issuer, data = Hex.Encode(SecurityTokenContract.Deploy("Bench", "BNCH", 18, "", Address.Parse(issuer))), gas = "0x1C9C380" })).GetString()!;
        TransactionReceipt deployed = await AnvilProcess.WaitForReceiptAsync(rpc, Hash32.Parse(deployHash));
        Address token = deployed.ContractAddress ?? throw new InvalidOperationException($"The SecurityToken deployment {deployHash} created no contract.");
        string mintHash = (await anvil.RpcAsync("eth_sendTransaction", new { from = issuer, to = token.ToString(), data = Hex.Encode(SecurityTokenContract.Mint(Address.Parse(issuer), (UInt256)(new System.Numerics.BigInteger(Supply) * OneToken))), gas = "0x7A120" })).GetString()!;
        if (!(await AnvilProcess.WaitForReceiptAsync(rpc, Hash32.Parse(mintHash))).Succeeded)
        {
            throw new InvalidOperationException($"The mint {mintHash} to the issuer reverted.");
        }

        return token;
    }

    /// <summary>N transfers of one token each to <see cref="Recipient"/>(0..N-1), signed by the issuer from its next nonce.</summary>
    public static async Task<(byte[][] Raw, ulong StartNonce)> SignTransfersAsync(AnvilProcess anvil, JsonRpcClient rpc, Address token, int count)
    {
        var key = PrivateKey.Parse(AnvilAccounts.PrivateKeys[0]);
        ulong start = await rpc.GetTransactionCountAsync(key.Address, BlockParameter.Pending);
        byte[][] raw = [.. Enumerable.Range(0, count).AsParallel().AsOrdered().Select(i => TransactionSigner.SignAndSerialize(new Eip1559Transaction
        {
            ChainId = (ulong)anvil.ChainId,
            Nonce = start + (ulong)i,
            MaxPriorityFeePerGas = 1_000_000_000UL,
            MaxFeePerGas = 20_000_000_000UL,
            GasLimit = 200_000UL,
            To = token,
            Data = SecurityTokenContract.Transfer(Recipient(i), OneToken),
        }, key))];
        return (raw, start);
    }

    /// <summary>
    /// Floor A (<paramref name="batchSize"/> 100) or floor B (1): the pre-signed transactions posted as fast as this
    /// client can (request bodies built before the clock, one request at a time, no response parsing beyond an error
    /// check; with a <paramref name="window"/> &gt; 0, never more than that many transactions unmined), then the sender's nonce polled every 10 ms until all are mined. When automine
    /// stalls (no progress for 1 s) the unmined rest is sent again and one <c>evm_mine</c> follows; the stalled second
    /// is left out of the time.
    /// </summary>
    public static async Task<FloorRun> SendAsync(Uri rpcUrl, byte[][] raw, ulong startNonce, int batchSize, int window)
    {
        string sender = AnvilAccounts.Addresses[0];
        byte[][] bodies = [.. raw.Chunk(batchSize).Select((chunk, c) => batchSize == 1 ? Request(c, "eth_sendRawTransaction", $"[\"{Hex.Encode(chunk[0])}\"]")
            : Encoding.UTF8.GetBytes("[" + string.Join(',', chunk.Select((tx, i) => Encoding.UTF8.GetString(Request(c * batchSize + i, "eth_sendRawTransaction", $"[\"{Hex.Encode(tx)}\"]")))) + "]"))];
        byte[] poll = Request(1, "eth_getTransactionCount", $"[\"{sender}\",\"latest\"]");
        byte[] mine = Request(1, "evm_mine", "[]");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 2 }) { Timeout = TimeSpan.FromMinutes(2) };
        ulong target = startNonce + (ulong)raw.Length;

        var clock = Stopwatch.StartNew();
        TimeSpan excluded = TimeSpan.Zero, lastProgress = TimeSpan.Zero;
        int stalls = 0, sent = 0;
        ulong mined = startNonce;
        for (int i = 0; i < bodies.Length; i++)
        {
            // With a window, the next batch waits until it would keep at most that many transactions unmined.
            while (window > 0 && (ulong)(i * batchSize) >= await PollAsync() - startNonce + (ulong)window)
            {
                await Task.Delay(2);
            }

            string answer = await PostAsync(http, rpcUrl, bodies[i]);
            if (answer.Contains("\"error\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"anvil refused a transaction of request {i}: {answer[..Math.Min(answer.Length, 400)]}");
            }

            sent = Math.Min(raw.Length, (i + 1) * batchSize);
        }

        while (await PollAsync() < target)
        {
            await Task.Delay(10);
        }

        return new FloorRun((clock.Elapsed - excluded).TotalSeconds, stalls);

        // The sender's mined nonce; when it has not moved for 1 s, the stall is handled and its wait left out.
        async Task<ulong> PollAsync()
        {
            ulong now = ParseQuantity(await PostAsync(http, rpcUrl, poll));
            if (now != mined)
            {
                mined = now;
                lastProgress = clock.Elapsed;
            }
            else if (clock.Elapsed - lastProgress > TimeSpan.FromSeconds(1))
            {
                if (stalls >= 20)
                {
                    throw new TimeoutException($"anvil stopped mining: {mined - startNonce} of {raw.Length} transactions mined after {stalls} evm_mine kicks.");
                }

                excluded += clock.Elapsed - lastProgress;
                stalls++;

                // Seen here: automine stops with the rest of a long same-sender queue pending in the pool (txpool_status
                // pending 273, queued 0), and evm_mine alone did not always restart it; sending the unmined rest again
                // (the node answers "already known") and then evm_mine did.
                foreach (byte[][] chunk in raw[(int)(mined - startNonce)..sent].Chunk(100))
                {
                    await PostAsync(http, rpcUrl, Encoding.UTF8.GetBytes("[" + string.Join(',', chunk.Select((tx, i) => Encoding.UTF8.GetString(Request(i, "eth_sendRawTransaction", $"[\"{Hex.Encode(tx)}\"]")))) + "]"));
                }

                await PostAsync(http, rpcUrl, mine);
                lastProgress = clock.Elapsed;
            }

            return now;
        }
    }

    /// <summary>
    /// The peer: ethers v6 with <c>NonceManager</c> (ethers/token-transfers.js), sending the same transfers one after
    /// another as a script would (ethers estimates gas and fees itself), then waiting until the last is mined.
    /// </summary>
    public static async Task<double> EthersAsync(AnvilProcess anvil, Address token, int count)
    {
        string script = Path.Combine(RepoPaths.Root, "bench", "StoFunctions.Benchmarks", "ethers", "token-transfers.js");
        string recipients = Path.GetTempFileName();
        await File.WriteAllTextAsync(recipients, JsonSerializer.Serialize(Enumerable.Range(0, count).Select(i => Recipient(i).ToString())));
        try
        {
            return await NodeAsync(script, anvil.RpcUrl.ToString(), AnvilAccounts.PrivateKeys[0], token.ToString(), recipients);
        }
        finally
        {
            File.Delete(recipients);
        }
    }

    /// <summary>
    /// The minimal Node client of issue 20 (ethers/minimal-floor.js: fetch, batches of 100 one after another, nonce
    /// polled every 50 ms) on the same pre-signed transactions: floor A must be at least as fast. No stall handling:
    /// a stalled run fails after 30 s and is reported as missing.
    /// </summary>
    public static async Task<double> MinimalNodeAsync(Uri rpcUrl, byte[][] raw, ulong startNonce)
    {
        string script = Path.Combine(RepoPaths.Root, "bench", "StoFunctions.Benchmarks", "ethers", "minimal-floor.js");
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(raw.Select(tx => Hex.Encode(tx))));
        try
        {
            return await NodeAsync(script, rpcUrl.ToString(), AnvilAccounts.Addresses[0], startNonce.ToString(CultureInfo.InvariantCulture), file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<double> NodeAsync(string script, params string[] args)
    {
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using Process node = Process.Start(info) ?? throw new InvalidOperationException("Could not start node.");
        Task<string> stdout = node.StandardOutput.ReadToEndAsync();
        Task<string> stderr = node.StandardError.ReadToEndAsync();
        try
        {
            await node.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException)
        {
            node.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"node {script} did not finish within 5 min (a stalled node?); it was killed.");
        }

        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} failed with exit code {node.ExitCode}: {await stderr}");
        }

        return JsonDocument.Parse(await stdout).RootElement.GetProperty("seconds").GetDouble();
    }

    private static byte[] Request(int id, string method, string parameters) =>
        Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":{id.ToString(CultureInfo.InvariantCulture)},\"method\":\"{method}\",\"params\":{parameters}}}");

    private static async Task<string> PostAsync(HttpClient http, Uri url, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = s_json;
        using HttpResponseMessage response = await http.PostAsync(url, content);
        string text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"anvil answered {(int)response.StatusCode}: {text}");
    }

    private static ulong ParseQuantity(string answer)
    {
        using JsonDocument document = JsonDocument.Parse(answer);
        string hex = document.RootElement.GetProperty("result").GetString()!;
        return ulong.Parse(hex.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
