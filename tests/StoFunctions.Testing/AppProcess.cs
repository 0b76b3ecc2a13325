using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace StoFunctions.Testing;

/// <summary>
/// The real app (<c>src/StoFunctions</c>'s functions on the local host, the built <c>StoFunctions.LocalHost.dll</c> run with <c>dotnet</c>) as a child
/// process on a free port, for tests where the process must really die: <see cref="KillAsync"/> sends SIGKILL to
/// the whole process tree (no finally blocks, no flush, no lease release), and <see cref="StartAsync()"/> brings
/// it back on the same port and the same storage. A crash point armed with <c>FAULT_CRASH_AT</c> ends the
/// process by itself (<c>Environment.FailFast</c>); <see cref="WaitForExitAsync"/> waits for that.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly AppProcessOptions _options;
    private readonly StringBuilder _history = new();
    private readonly string _contentRoot;
    private ChildProcess? _process;
    private int _starts;

    private AppProcess(AppProcessOptions options, string contentRoot)
    {
        _options = options;
        _contentRoot = contentRoot;
        Port = FreePort.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        Client.DefaultRequestHeaders.Add("x-functions-key", AppProcessOptions.FunctionKey);
    }

    /// <summary>The app's TCP port (kept across restarts).</summary>
    public int Port { get; }

    /// <summary><c>http://127.0.0.1:{port}</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client for <see cref="BaseAddress"/> that sends the function key; survives restarts.</summary>
    public HttpClient Client { get; }

    /// <summary>The settings the next start uses; change them between a kill and the next start.</summary>
    public IDictionary<string, string?> Settings => _options.Settings;

    /// <summary>How many times the process was started.</summary>
    public int Starts => _starts;

    /// <summary>True while the current process runs.</summary>
    public bool IsRunning => _process?.IsRunning == true;

    /// <summary>The operating-system id of the current (or last) process.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The app was never started.");

    /// <summary>The exit code of the last process (it must have exited).</summary>
    public int ExitCode => _process?.ExitCode ?? throw new InvalidOperationException("The app was never started.");

    /// <summary>What the current (or last) process printed.</summary>
    public string Output => _process?.Output ?? "";

    /// <summary>What every process so far printed, each run under a header (for failure messages).</summary>
    public string History
    {
        get
        {
            lock (_history)
            {
                return _history + (_process is null ? "" : $"--- run {_starts}\n{_process.Output}");
            }
        }
    }

    /// <summary>
    /// The built app: <c>STO_APP_DLL</c> when set, else <c>src/StoFunctions.LocalHost/bin/{configuration}/{tfm}/StoFunctions.LocalHost.dll</c>
    /// with the configuration and target framework of the calling test assembly (both are built by the same
    /// <c>dotnet build</c>; a test project that runs the app should reference <c>src/StoFunctions.LocalHost</c> so it is).
    /// </summary>
    public static string AppDll
    {
        get
        {
            if (Environment.GetEnvironmentVariable("STO_APP_DLL") is { Length: > 0 } configured)
            {
                return configured;
            }

            // AppContext.BaseDirectory is …/bin/{configuration}/{tfm}/ of the test project.
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string configuration = tfm.Parent?.Name ?? "Debug";
            return Path.Combine(RepoPaths.Root, "src", "StoFunctions.LocalHost", "bin", configuration, tfm.Name, "StoFunctions.LocalHost.dll");
        }
    }

    /// <summary>Creates the fixture and starts the app (see <see cref="StartAsync()"/>).</summary>
    public static async Task<AppProcess> StartAsync(AppProcessOptions options, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(AppDll))
        {
            throw new FileNotFoundException($"The app is not built at {AppDll}. Run 'dotnet build StoFunctions.sln' (or set STO_APP_DLL).", AppDll);
        }

        // A private content root with the repository's host.json and no local.settings.json, so a developer's
        // local settings never leak into a test; everything else comes from the environment.
        string root = Directory.CreateTempSubdirectory("sto-app-").FullName;
        File.Copy(Path.Combine(RepoPaths.Root, "host.json"), Path.Combine(root, "host.json"));
        var app = new AppProcess(options, root);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return app;
    }

    /// <summary>
    /// Starts the app (again) with the current <see cref="Settings"/> and waits until <c>/api/health</c> answers
    /// (200, or 503 while a dependency is unreachable: the process serves either way).
    /// The previous process must have exited (<see cref="KillAsync"/> or a fired crash point).
    /// </summary>
    public Task StartAsync() => StartAsync(CancellationToken.None);

    /// <summary>Starts the app (again) and waits for health; fails with the app's output if it exits or stalls.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"The app (pid {_process!.Id}) is still running; kill it first.");
        }

        await RetireAsync().ConfigureAwait(false);
        _starts++;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = BaseAddress.ToString(),
            ["DOTNET_NOLOGO"] = "1",
            // FailFast must not spend seconds writing a crash dump.
            ["DOTNET_DbgEnableMiniDump"] = "0",
            ["FAULT_CRASH_AT"] = "",
        };
        foreach ((string key, string? value) in _options.Settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
        }

        _process = ChildProcess.Start("dotnet", [AppDll, "--contentRoot", _contentRoot], environment, _contentRoot);
        try
        {
            await WaitHealthyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            _process.Kill();
            throw new InvalidOperationException($"{e.Message}\n{History}", e);
        }
    }

    /// <summary>Kills the app with SIGKILL (the whole process tree) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }

        _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the app gracefully (SIGTERM, as a deployment slot or <c>./dev down</c> would): hosted services stop,
    /// the lanes release their leases, so the next start does not wait for a lease to expire.
    /// </summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process is not { IsRunning: true } process)
        {
            return;
        }

        using (var signal = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync().ConfigureAwait(false);
        }

        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            process.Kill();
            throw new TimeoutException($"The app (pid {process.Id}) did not stop within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds:F0} s of SIGTERM; it was killed.\n{process.Output}");
        }
    }

    /// <summary>Waits for the app to exit on its own (a fired crash point); returns its exit code.</summary>
    /// <exception cref="TimeoutException">It still runs after <paramref name="timeout"/>.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        ChildProcess process = _process ?? throw new InvalidOperationException("The app was never started.");
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The app (pid {process.Id}) did not exit within {timeout.TotalSeconds:F0} s.\n{process.Output}");
        }

        return process.ExitCode;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await RetireAsync().ConfigureAwait(false);
        Client.Dispose();
        try
        {
            Directory.Delete(_contentRoot, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task RetireAsync()
    {
        if (_process is null)
        {
            return;
        }

        string output = _process.Output;
        await _process.DisposeAsync().ConfigureAwait(false);
        lock (_history)
        {
            _history.Append(CultureInfo.InvariantCulture, $"--- run {_starts}\n").Append(output);
            if (_history.Length > 400_000)
            {
                _history.Remove(0, _history.Length - 400_000);
            }
        }

        _process = null;
    }

    private async Task WaitHealthyAsync(CancellationToken cancellationToken)
    {
        // Health bounds its own dependency checks at 3 s; a little more so a slow check is not taken for a dead process.
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(6) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (!_process!.IsRunning)
            {
                throw new InvalidOperationException($"The app exited during startup (exit code {_process.ExitCode}).");
            }

            if (clock.Elapsed > _options.StartupTimeout)
            {
                throw new TimeoutException($"The app did not answer /api/health within {_options.StartupTimeout.TotalSeconds:F0} s.");
            }

            try
            {
                using HttpResponseMessage response = await probe.GetAsync(new Uri("/api/health", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }
}
