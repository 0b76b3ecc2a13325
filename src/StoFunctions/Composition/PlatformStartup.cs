using StoFunctions.Pipeline.Lanes;

namespace StoFunctions.Composition;

/// <summary>
/// Creates the tables, containers and queue the functions use, resumes interrupted planning, then starts the
/// lanes. Storage that is not reachable yet (Azurite still starting) is retried instead of stopping the host,
/// so health and the keys keep answering meanwhile.
/// </summary>
internal sealed class PlatformStartup(Platform platform, LaneHost lanes, ILogger<PlatformStartup> logger) : BackgroundService
{
    private bool _lanesStarted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (int attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await platform.Commands.CreateIfNotExistsAsync(stoppingToken).ConfigureAwait(false);
                await platform.Tokens.CreateIfNotExistsAsync(stoppingToken).ConfigureAwait(false);
                await platform.Blobs.GetBlobContainerClient(Platform.DistributionsContainer).CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                await platform.Queues.GetQueueClient(Platform.CommandsQueue).CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                await platform.Commands.ResumePendingAsync(stoppingToken).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.PlatformStorageUnavailable(attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 10)), stoppingToken).ConfigureAwait(false);
            }
        }

        await lanes.StartAsync(stoppingToken).ConfigureAwait(false);
        _lanesStarted = true;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_lanesStarted)
        {
            await lanes.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
