namespace StoFunctions.Testing;

/// <summary>
/// A real Azurite (blob, queue and table) on free loopback ports with in-memory persistence, or on disk
/// (<see cref="StartPersistentAsync"/>) for tests that stop and restart it (<see cref="StopAsync"/>, <see cref="RestartAsync"/>).
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
    private readonly string? _location;
    private readonly int[] _ports;
    private readonly string[] _extra;
    private ChildProcess? _process;

    private AzuriteProcess(ChildProcess? process, string connectionString, string? location = null, int[]? ports = null, string[]? extra = null)
    {
        _process = process;
        ConnectionString = connectionString;
        _location = location;
        _ports = ports ?? [];
        _extra = extra ?? [];
    }

    /// <summary>True while the Azurite process runs.</summary>
    public bool IsRunning => _process?.IsRunning == true;

    /// <summary>The id of Azurite's process, 0 for none (a restart changes it).</summary>
    public int ProcessId => _process?.Id ?? 0;

    /// <summary>An Azure Storage connection string with explicit endpoints for this instance.</summary>
    public string ConnectionString { get; }

    /// <summary>The blob service of this instance (<c>http(s)://127.0.0.1:{port}/devstoreaccount1</c>), for identity-based settings.</summary>
    public Uri BlobServiceUri => ServiceUri(0);

    /// <summary>The queue service of this instance, for identity-based settings.</summary>
    public Uri QueueServiceUri => ServiceUri(1);

    /// <summary>The table service of this instance, for identity-based settings.</summary>
    public Uri TableServiceUri => ServiceUri(2);

    private static string Scheme(string[] extra) => extra.Contains("--cert") ? "https" : "http";

    private Uri ServiceUri(int service) =>
        new($"{Scheme(_extra)}://127.0.0.1:{_ports[service].ToString(System.Globalization.CultureInfo.InvariantCulture)}/{AccountName}");

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
    public static string ConnectionStringFor(int blobPort, int queuePort, int tablePort) => ConnectionStringFor("http", blobPort, queuePort, tablePort);

    private static string ConnectionStringFor(string scheme, int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol={scheme};AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={scheme}://127.0.0.1:{blobPort}/{AccountName};" +
        $"QueueEndpoint={scheme}://127.0.0.1:{queuePort}/{AccountName};" +
        $"TableEndpoint={scheme}://127.0.0.1:{tablePort}/{AccountName};";

    /// <summary>Starts a private Azurite (for tests that must kill or isolate storage).</summary>
    public static Task<AzuriteProcess> StartAsync(CancellationToken cancellationToken = default) => StartAsync(null, [], cancellationToken);

    /// <summary>
    /// Starts a private in-memory Azurite that serves HTTPS with the PEM certificate and key in the given files and
    /// accepts bearer tokens (<c>--oauth basic</c>: it checks a JWT's issuer, audience and lifetime, not its
    /// signature), for tests of identity-based connections. Clients must trust that certificate themselves.
    /// </summary>
    public static Task<AzuriteProcess> StartWithOAuthAsync(string certificatePemPath, string keyPemPath, CancellationToken cancellationToken = default) =>
        StartAsync(null, ["--cert", certificatePemPath, "--key", keyPemPath, "--oauth", "basic"], cancellationToken);

    /// <summary>
    /// Starts a private Azurite that keeps its data in <paramref name="location"/> (a directory the caller owns), so
    /// a <see cref="StopAsync"/> and <see cref="RestartAsync"/> keep every acknowledged write.
    /// </summary>
    public static Task<AzuriteProcess> StartPersistentAsync(string location, CancellationToken cancellationToken = default) =>
        StartAsync(location, [], cancellationToken);

    /// <summary>
    /// Stops Azurite gracefully (SIGTERM): it closes its databases, so nothing it acknowledged is lost — unlike
    /// <see cref="Kill"/>, after which Azurite's late-flushing persistence loses recent writes (issue #14 item 1).
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!await _process.TerminateAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Azurite did not stop within 30 s of SIGTERM and was killed:\n{_process.Output}");
        }
    }

    /// <summary>Starts a stopped persistent Azurite again on the same ports and data directory.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (_location is null || _process is null)
        {
            throw new InvalidOperationException("Only an Azurite started with StartPersistentAsync can be restarted.");
        }

        if (_process.IsRunning)
        {
            throw new InvalidOperationException("Azurite still runs; stop it first.");
        }

        await _process.DisposeAsync().ConfigureAwait(false);
        string binary = Path.Combine(RepoPaths.ToolsBin, "azurite");
        // The ports were ours a moment ago; a brief TIME_WAIT or a slow exit can still hold one, so retry a few times.
        for (int attempt = 0; ; attempt++)
        {
            _process = ChildProcess.Start(binary, Arguments(_location, _ports[0], _ports[1], _ports[2], _extra));
            if (await WaitForPortsAsync(_process, _ports, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            string output = _process.Output;
            await _process.DisposeAsync().ConfigureAwait(false);
            if (attempt >= 5)
            {
                throw new InvalidOperationException($"Azurite did not restart on ports {string.Join(", ", _ports)}:\n{output}");
            }

            await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string[] Arguments(string? location, int blob, int queue, int table, string[] extra) =>
    [
        "--silent", "--disableProductStyleUrl",
        .. location is null ? (string[])["--inMemoryPersistence"] : ["--location", location],
        // Without this Azurite spends ~20 s on SIGTERM trying to send telemetry over a network we do not have.
        "--disableTelemetry",
        "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--tableHost", "127.0.0.1", "--tablePort", table.ToString(System.Globalization.CultureInfo.InvariantCulture),
        .. extra,
    ];

    private static async Task<AzuriteProcess> StartAsync(string? location, string[] extra, CancellationToken cancellationToken)
    {
        string binary = Path.Combine(RepoPaths.ToolsBin, "azurite");
        if (!File.Exists(binary))
        {
            throw new FileNotFoundException($"Azurite is not installed at {binary}. Run './dev install' (npm ci in tools/).", binary);
        }

        for (int attempt = 0; ; attempt++)
        {
            int blob = FreePort.Next(), queue = FreePort.Next(), table = FreePort.Next();
            ChildProcess process = ChildProcess.Start(binary, Arguments(location, blob, queue, table, extra));
            if (await WaitForPortsAsync(process, [blob, queue, table], cancellationToken).ConfigureAwait(false))
            {
                return new AzuriteProcess(process, ConnectionStringFor(Scheme(extra), blob, queue, table), location, [blob, queue, table], extra);
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
        // A deadline, not an expectation: Azurite listens within ~2 s on a quiet machine, but under a second test
        // suite and helpers' builds (load average 40–70 on 2 cores) three 30 s attempts were seen to run out.
        DateTime deadline = DateTime.UtcNow.AddSeconds(120);
        foreach (int port in ports)
        {
            while (true)
            {
                if (!process.IsRunning || DateTime.UtcNow > deadline)
                {
                    return false;
                }

                // Listening is not enough: on a port another process took first, that process answers while this
                // Azurite exits, so the socket must be this process's.
                if (ListeningPort.IsHeldBy(process.Id, port))
                {
                    break;
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }
}
