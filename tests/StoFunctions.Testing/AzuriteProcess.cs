using System.Net.Sockets;

namespace StoFunctions.Testing;

/// <summary>
/// A real Azurite (blob, queue and table) on free loopback ports with in-memory persistence.
/// <see cref="SharedAsync"/> gives the one instance of the test run: the one <c>./dev test</c> started
/// (<c>STO_TEST_STORAGE</c>) or, when tests run on their own, one started on first use.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>The well-known development account of Azurite (public; dev only).</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The well-known development account key of Azurite (public; dev only).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly SemaphoreSlim s_sharedGate = new(1, 1);
    private static string? s_shared;
    private readonly ChildProcess? _process;

    private AzuriteProcess(ChildProcess? process, string connectionString)
    {
        _process = process;
        ConnectionString = connectionString;
    }

    /// <summary>An Azure Storage connection string with explicit endpoints for this instance.</summary>
    public string ConnectionString { get; }

    /// <summary>The connection string of the run's shared Azurite, starting one if needed.</summary>
    public static async Task<string> SharedAsync()
    {
        if (Environment.GetEnvironmentVariable("STO_TEST_STORAGE") is { Length: > 0 } fromScript)
        {
            return fromScript;
        }

        await s_sharedGate.WaitAsync().ConfigureAwait(false);
        try
        {
            // Started once per test host process and killed at its exit (ChildProcess tracks it).
            s_shared ??= (await StartAsync().ConfigureAwait(false)).ConnectionString;
            return s_shared;
        }
        finally
        {
            s_sharedGate.Release();
        }
    }

    /// <summary>Builds the connection string for Azurite listening on the given ports of 127.0.0.1.</summary>
    public static string ConnectionStringFor(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};";

    /// <summary>Starts a private Azurite (for tests that must kill or isolate storage).</summary>
    public static async Task<AzuriteProcess> StartAsync(CancellationToken cancellationToken = default)
    {
        string binary = Path.Combine(RepoPaths.ToolsBin, "azurite");
        if (!File.Exists(binary))
        {
            throw new FileNotFoundException($"Azurite is not installed at {binary}. Run './dev install' (npm ci in tools/).", binary);
        }

        for (int attempt = 0; ; attempt++)
        {
            int blob = FreePort.Next(), queue = FreePort.Next(), table = FreePort.Next();
            ChildProcess process = ChildProcess.Start(binary,
            [
                "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableProductStyleUrl",
                // Without this Azurite spends ~20 s on SIGTERM trying to send telemetry over a network we do not have.
                "--disableTelemetry",
                "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--tableHost", "127.0.0.1", "--tablePort", table.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ]);
            if (await WaitForPortsAsync(process, [blob, queue, table], cancellationToken).ConfigureAwait(false))
            {
                return new AzuriteProcess(process, ConnectionStringFor(blob, queue, table));
            }

            string output = process.Output;
            await process.DisposeAsync().ConfigureAwait(false);
            if (attempt >= 2)
            {
                throw new InvalidOperationException($"Azurite did not start:\n{output}");
            }
        }
    }

    /// <summary>Kills Azurite at once.</summary>
    public void Kill() => _process?.Kill();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static async Task<bool> WaitForPortsAsync(ChildProcess process, int[] ports, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (int port in ports)
        {
            while (true)
            {
                if (!process.IsRunning || DateTime.UtcNow > deadline)
                {
                    return false;
                }

                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (SocketException)
                {
                    await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return true;
    }
}
