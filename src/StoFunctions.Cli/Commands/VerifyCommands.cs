using System.CommandLine;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using StoFunctions.Cli.Api;

namespace StoFunctions.Cli.Commands;

/// <summary><c>tx-verify</c>: publish a deployed contract's source on an Etherscan-compatible explorer.</summary>
public static class VerifyCommands
{
    /// <summary>Etherscan's API v2 (every chain, chosen by <c>chainid</c>).</summary>
    public const string DefaultEndpoint = "https://api.etherscan.io/v2/api";

    /// <summary>The commands.</summary>
    public static IEnumerable<Command> Create(CliKit kit)
    {
        Option<string> token = CliKit.Required<string>("--token", "the contract to verify: a token, or any contract this service deployed (0x…)");
        Option<string?> endpoint = CliKit.Optional<string?>("--etherscan-url", $"explorer API (else ETHERSCAN_API_URL, else {DefaultEndpoint})");
        Option<string?> apiKey = CliKit.Optional<string?>("--etherscan-key", "explorer API key (else ETHERSCAN_API_KEY); without one, prints the fields for manual verification");
        Option<ulong?> chainId = CliKit.Optional<ulong?>("--chain-id", "chain id (default: the service's chain, from /api/diagnose)");
        Option<FileInfo?> output = CliKit.Optional<FileInfo?>("--output", "also write the standard-JSON input to this file (for the explorer's upload form)");
        Option<ulong?> timeout = CliKit.Optional<ulong?>("--timeout", "seconds to wait for the explorer's verdict (default 300)");
        var command = new Command("tx-verify", "verify a deployed contract on an Etherscan-compatible explorer (verifysourcecode, then checkverifystatus) [GET /api/tokens/{token}/source]\n  e.g. ETHERSCAN_API_KEY=… sto tx-verify --token 0x…")
        {
            token, endpoint, apiKey, chainId, output, timeout,
        };
        kit.SetAction(command, async (session, r, cancellationToken) =>
        {
            ApiResponse response = await session.Api.GetAsync($"tokens/{CliKit.Segment(r.GetValue(token)!)}/source", null, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                return session.Refused(response);
            }

            JsonElement source = response.Json() ?? throw new InvalidOperationException("GET …/source answered without JSON.");
            string standardInput = source.GetProperty("standardJsonInput").GetRawText();
            if (r.GetValue(output) is { } file)
            {
                await WriteAsync(session, file, standardInput, cancellationToken).ConfigureAwait(false);
            }

            string? key = r.GetValue(apiKey) ?? session.Environment.GetVariable("ETHERSCAN_API_KEY");
            if (string.IsNullOrEmpty(key))
            {
                return Manual(session, source);
            }

            string endpointText = r.GetValue(endpoint) ?? session.Environment.GetVariable("ETHERSCAN_API_URL") ?? DefaultEndpoint;
            if (!Uri.TryCreate(endpointText, UriKind.Absolute, out Uri? endpointUri) || endpointUri.Scheme is not ("https" or "http"))
            {
                throw new CliInputException($"--etherscan-url '{endpointText}' is not an http(s) address; e.g. {DefaultEndpoint}.");
            }

            ulong chain = r.GetValue(chainId) ?? await ChainIdAsync(session, cancellationToken).ConfigureAwait(false);
            using var explorer = new EtherscanClient(endpointUri, key, chain);
            return await VerifyAsync(session, explorer, source, standardInput, TimeSpan.FromSeconds(r.GetValue(timeout) ?? 300), cancellationToken).ConfigureAwait(false);
        });
        yield return command;
    }

    private static async Task<int> VerifyAsync(CliSession session, EtherscanClient explorer, JsonElement source, string standardInput, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string address = source.GetProperty("address").GetString()!;
        string contractName = source.GetProperty("contractName").GetString()!;
        string arguments = source.GetProperty("constructorArguments").GetString()!;
        // Etherscan takes the arguments as bare hex; its field has long been spelled "constructorArguements", the
        // v2 reference spells it "constructorArguments": both are sent, so either kind of explorer reads them.
        string bare = arguments.StartsWith("0x", StringComparison.Ordinal) ? arguments[2..] : arguments;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["codeformat"] = "solidity-standard-json-input",
            ["sourceCode"] = standardInput,
            ["contractaddress"] = address,
            ["contractname"] = contractName,
            ["compilerversion"] = source.GetProperty("compilerVersion").GetString()!,
            ["constructorArguements"] = bare,
            ["constructorArguments"] = bare,
        };
        EtherscanClient.Answer submitted = await explorer.SubmitAsync(fields, cancellationToken).ConfigureAwait(false);
        if (!submitted.Ok)
        {
            if (submitted.Result.Contains("already verified", StringComparison.OrdinalIgnoreCase))
            {
                return Done(session, address, contractName, "already verified", null);
            }

            session.Environment.Error.WriteLine($"error: the explorer refused the verification of {address} ({contractName}): {submitted.Result}");
            return ExitCodes.Failed;
        }

        string guid = submitted.Result;
        session.Environment.Error.WriteLine($"submitted {address} ({contractName}); verification request {guid}");
        DateTimeOffset deadline = DateTimeOffset.UtcNow + timeout;
        // Explorers queue verifications for seconds to minutes; polling faster than this only spends the key's rate.
        TimeSpan interval = session.Environment.PollInterval * 10;
        while (true)
        {
            EtherscanClient.Answer status = await explorer.CheckAsync(guid, cancellationToken).ConfigureAwait(false);
            if (status.Ok || status.Result.StartsWith("Pass", StringComparison.OrdinalIgnoreCase) || status.Result.Contains("already verified", StringComparison.OrdinalIgnoreCase))
            {
                return Done(session, address, contractName, status.Result, guid);
            }

            if (!IsPending(status.Result))
            {
                session.Environment.Error.WriteLine($"error: the explorer could not verify {address} ({contractName}): {status.Result} (request {guid})");
                return ExitCodes.Failed;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                session.Environment.Error.WriteLine($"error: no verdict on request {guid} within {timeout.TotalSeconds:0} s (last: {status.Result}); run sto tx-verify again later (an already verified contract says so).");
                return ExitCodes.Failed;
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    // "Pending in queue" and "In progress" (wording varies by explorer) mean wait; anything else is a verdict.
    private static bool IsPending(string result) =>
        result.Contains("pending", StringComparison.OrdinalIgnoreCase) || result.Contains("in progress", StringComparison.OrdinalIgnoreCase) || result.Contains("queue", StringComparison.OrdinalIgnoreCase);

    private static int Done(CliSession session, string address, string contractName, string result, string? guid)
    {
        if (session.Json)
        {
            session.WriteJson(JsonSerializer.SerializeToElement(new { address, contractName, verified = true, result, guid }));
        }
        else
        {
            session.Environment.Out.WriteLine($"verified {address} ({contractName}): {result}");
        }

        return ExitCodes.Ok;
    }

    private static int Manual(CliSession session, JsonElement source)
    {
        if (session.Json)
        {
            session.WriteJson(source);
            return ExitCodes.Ok;
        }

        var lines = new StringBuilder();
        foreach (string name in new[] { "address", "contractName", "compilerVersion", "codeFormat", "optimizationUsed", "runs", "evmVersion", "constructorArguments" })
        {
            lines.Append(name).Append(": ").AppendLine(source.GetProperty(name).ToString());
        }

        session.Environment.Out.Profile.Out.Writer.Write(lines.ToString());
        session.Environment.Error.WriteLine("no explorer API key (--etherscan-key or ETHERSCAN_API_KEY): verify on the explorer's page with these fields and the standard-JSON input (--output FILE writes it).");
        return ExitCodes.Ok;
    }

    private static async Task WriteAsync(CliSession session, FileInfo file, string text, CancellationToken cancellationToken)
    {
        try
        {
            await File.WriteAllTextAsync(file.FullName, text, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"Cannot write '{file.FullName}': {e.Message}");
        }

        session.Environment.Error.WriteLine($"wrote {file.FullName}");
    }

    private static async Task<ulong> ChainIdAsync(CliSession session, CancellationToken cancellationToken)
    {
        ApiResponse diagnose = await session.Api.GetAsync("diagnose", null, cancellationToken).ConfigureAwait(false);
        return diagnose.Json() is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("chainId", out JsonElement id) && id.TryGetUInt64(out ulong chain)
            ? chain
            : throw new CliInputException($"No --chain-id given and /api/diagnose did not name the chain ({(int)diagnose.StatusCode}); pass --chain-id N.");
    }
}
