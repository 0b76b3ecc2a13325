using System.Diagnostics;
using System.Globalization;
using StoFunctions.Testing.KeyVault;

namespace StoFunctions.Benchmarks.Suites;

/// <summary>
/// The test Key Vault for a benchmark: in this process, or (the production-like layout) in a child process
/// started from this same executable with <see cref="KeyVaultSuite.ServeCommand"/>.
/// </summary>
internal sealed class BenchVault : IAsyncDisposable
{
    private readonly TestKeyVaultServer? _server;
    private readonly Process? _child;

    private BenchVault(TestKeyVaultServer? server, Process? child, HttpMessageHandler handler, Uri uri, string keyVersion)
    {
        _server = server;
        _child = child;
        Handler = handler;
        Uri = uri;
        KeyVersion = keyVersion;
    }

    public HttpMessageHandler Handler { get; }

    public Uri Uri { get; }

    public string KeyVersion { get; }

    public static async Task<BenchVault> InProcessAsync(int latencyMs)
    {
        TestKeyVaultServer server = await TestKeyVaultServer.StartAsync();
        string version = server.CreateKey("bench");
        server.Knobs.Latency = TimeSpan.FromMilliseconds(latencyMs);
        return new BenchVault(server, null, server.CreateHttpHandler(), server.VaultUri, version);
    }

    public static async Task<BenchVault> ChildAsync(int latencyMs)
    {
        string self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(KeyVaultSuite).Assembly.Location);
        }

        start.ArgumentList.Add(KeyVaultSuite.ServeCommand);
        start.ArgumentList.Add(latencyMs.ToString(CultureInfo.InvariantCulture));
        Process child = Process.Start(start)!;
        string? line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        string[] parts = line?.Split(' ') ?? [];
        if (parts.Length != 4)
        {
            child.Kill();
            throw new InvalidOperationException($"The test vault child process printed '{line}' instead of 'port host thumbprint version'.");
        }

        int port = int.Parse(parts[0], CultureInfo.InvariantCulture);
        return new BenchVault(null, child, TestKeyVaultServer.CreateHttpHandler(parts[1], port, parts[2]), new Uri($"https://{parts[1]}/"), parts[3]);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_child is not null)
        {
            _child.StandardInput.Close();
            if (!_child.WaitForExit(10_000))
            {
                _child.Kill();
            }

            _child.Dispose();
        }
    }
}
