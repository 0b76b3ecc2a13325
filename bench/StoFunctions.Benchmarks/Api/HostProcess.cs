using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using StoFunctions.Testing;

namespace StoFunctions.Benchmarks.Api;

/// <summary>
/// A host build running as its own process (<c>dotnet {dll}</c>), as <c>./dev up</c> runs it: the settings of the
/// build's own <c>local.settings.sample.json</c> (Values) with storage, chain and port pointed at this scenario's
/// Azurite and anvil, its <c>host.json</c>, <c>ASPNETCORE_ENVIRONMENT=Development</c>, output to a log file (as
/// <c>./dev up</c> writes <c>.data/logs/app.log</c>), so reading the log costs the benchmark nothing.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _contentRoot;

    private HostProcess(Process process, string contentRoot, Uri baseAddress, string functionKey, string logFile)
    {
        _process = process;
        _contentRoot = contentRoot;
        BaseAddress = baseAddress;
        FunctionKey = functionKey;
        LogFile = logFile;
    }

    /// <summary><c>http://127.0.0.1:{port}</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The host's process id (bash execs dotnet in its place).</summary>
    public int ProcessId => _process.Id;

    /// <summary>The function key of the build's sample settings (sent as <c>x-functions-key</c>).</summary>
    public string FunctionKey { get; }

    /// <summary>Where the host's output goes (kept when a scenario fails).</summary>
    public string LogFile { get; }

    /// <summary>Starts <paramref name="build"/> against the given storage and chain; returns once <c>/api/health</c> answers.</summary>
    public static async Task<HostProcess> StartAsync(HostBuild build, string storage, Uri rpcUrl, long chainId, string signerKey)
    {
        string root = Directory.CreateTempSubdirectory("sto-bench-host-").FullName;
        File.Copy(Path.Combine(build.Root, "host.json"), Path.Combine(root, "host.json"));
        Dictionary<string, string> settings = SampleValues(build.Root);
        settings["AzureWebJobsStorage"] = storage;
        settings["Ethereum__RpcUrl"] = rpcUrl.ToString();
        settings["Ethereum__ChainId"] = chainId.ToString(CultureInfo.InvariantCulture);
        settings["Signer__Mode"] = "Local";
        settings["Signer__LocalPrivateKey"] = signerKey;
        settings["ASPNETCORE_ENVIRONMENT"] = "Development";
        settings["DOTNET_NOLOGO"] = "1";
        string key = settings.GetValueOrDefault("FunctionKeys__default") is { Length: > 0 } k ? k : throw new InvalidOperationException(
            $"{Path.Combine(build.Root, "local.settings.sample.json")} has no Values.FunctionKeys__default; the benchmark sends the sample's function key.");
        int port = FreePort.Next();
        var baseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        string log = Path.Combine(root, "host.log");

        // bash redirects the output to the file, so the host writes its log the way ./dev up's does.
        var info = new ProcessStartInfo("bash") { UseShellExecute = false, WorkingDirectory = root };
        foreach (string a in new[] { "-c", "exec \"$@\" >\"$STO_BENCH_LOG\" 2>&1", "host", "dotnet", build.Dll, "--contentRoot", root, "--urls", baseAddress.ToString() })
        {
            info.ArgumentList.Add(a);
        }

        foreach ((string name, string value) in settings)
        {
            info.Environment[name] = value;
        }

        info.Environment["STO_BENCH_LOG"] = log;
        Process process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start dotnet {build.Dll}.");
        var host = new HostProcess(process, root, baseAddress, key, log);
        try
        {
            await host.WaitHealthyAsync(TimeSpan.FromSeconds(180));
        }
        catch
        {
            string tail = host.LogTail();
            await host.DisposeAsync(keepLog: false);
            throw new InvalidOperationException($"The {build.Label} host ({build.Dll}) did not answer /api/health on {baseAddress}; its log ends:\n{tail}");
        }

        return host;
    }

    /// <summary>The last lines of the host's log (for failure messages).</summary>
    public string LogTail(int lines = 40)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(lines));
        }
        catch (IOException e)
        {
            return $"(no log: {e.Message})";
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => DisposeAsync(keepLog: Environment.GetEnvironmentVariable("STO_BENCH_KEEP_LOGS") == "1");

    private async ValueTask DisposeAsync(bool keepLog)
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
        }

        _process.Dispose();
        if (!keepLog)
        {
            try
            {
                Directory.Delete(_contentRoot, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static Dictionary<string, string> SampleValues(string root)
    {
        string path = Path.Combine(root, "local.settings.sample.json");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return values;
        }

        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        if (document.RootElement.TryGetProperty("Values", out JsonElement settings))
        {
            foreach (JsonProperty setting in settings.EnumerateObject())
            {
                values[setting.Name] = setting.Value.ValueKind == JsonValueKind.String ? setting.Value.GetString()! : setting.Value.GetRawText();
            }
        }

        return values;
    }

    private async Task WaitHealthyAsync(TimeSpan limit)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(6) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"exited with code {_process.ExitCode}");
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"no health answer within {limit.TotalSeconds:F0} s");
            }

            try
            {
                using HttpResponseMessage response = await probe.GetAsync(new Uri("/api/health", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }
    }
}
