using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Ledger;
using StoFunctions.Pipeline.Outages;

namespace StoFunctions.Pipeline.Lanes;

/// <summary>
/// The hosted service that runs the configured lanes (each under its lease) and, on a timer sweep, re-plans
/// commands whose planning a crash interrupted. Wire <see cref="Wake"/> as the <see cref="CommandService"/>'s
/// wake callback (or call it from a queue trigger) so new work starts without waiting for the sweep.
/// </summary>
public sealed class LaneHost : BackgroundService
{
    private readonly IReadOnlyList<LaneRunner> _runners;
    private readonly IReadOnlyList<CommandService> _commands;
    private readonly TimeSpan _sweep;
    private readonly ILogger _logger;

    /// <summary>Creates the host.</summary>
    /// <param name="runners">One runner per configured lane.</param>
    /// <param name="commands">Command services whose interrupted planning the sweep resumes.</param>
    /// <param name="sweepInterval">How often to resume pending commands; default 30 s.</param>
    /// <param name="logger">Where sweep failures go (once per outage).</param>
    public LaneHost(IEnumerable<LaneRunner> runners, IEnumerable<CommandService> commands, TimeSpan? sweepInterval = null, ILogger? logger = null)
    {
        _runners = [.. runners];
        _commands = [.. commands];
        _sweep = sweepInterval ?? TimeSpan.FromSeconds(30);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Wakes the lane <paramref name="lane"/> if this host runs it.</summary>
    public void Wake(LaneId lane)
    {
        foreach (LaneRunner runner in _runners.Where(r => r.Lane.Lane == lane))
        {
            runner.Lane.Wake();
        }
    }

    /// <summary>
    /// Makes the lane <paramref name="lane"/>, if this host runs it, compare the chain's nonce with the ledger now and
    /// reopen rows a deep reorg removed (<see cref="TransactionLane.RequestChainCheck"/>).
    /// </summary>
    public void RequestChainCheck(LaneId lane)
    {
        foreach (LaneRunner runner in _runners.Where(r => r.Lane.Lane == lane))
        {
            runner.Lane.RequestChainCheck();
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        List<Task> tasks = [.. _runners.Select(r => r.RunAsync(stoppingToken))];
        tasks.Add(SweepAsync(stoppingToken));
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_sweep);
        var outage = new OutageBackoff("Lane host sweep of interrupted planning", _logger, _sweep, _sweep);
        do
        {
            foreach (CommandService service in _commands)
            {
                try
                {
                    await service.ResumePendingAsync(stoppingToken).ConfigureAwait(false);
                    outage.Succeeded();
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // The next sweep retries; planning is idempotent. A timeout's cancellation is not shutdown, so it
                    // must not end the sweep either. A deleted commands or ledger table is created again.
                    outage.Failed(e);
                    if (DependencyFailure.IsMissingResource(e))
                    {
                        await RecreateTablesAsync(service, stoppingToken).ConfigureAwait(false);
                    }
                }
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private async Task RecreateTablesAsync(CommandService service, CancellationToken stoppingToken)
    {
        try
        {
            await service.CreateIfNotExistsAsync(stoppingToken).ConfigureAwait(false);
            Log.ResourceRecreated(_logger, "Lane host sweep", "the commands and ledger tables");
        }
        catch (Exception) when (!stoppingToken.IsCancellationRequested)
        {
            // Still unreachable: the next sweep tries again.
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
