namespace StoFunctions.Composition;

/// <summary>
/// Creates the tables, containers and queue the functions use and resumes interrupted planning. Storage that is not
/// reachable yet (Azurite still starting) is retried instead of stopping the host, so health and the keys keep
/// answering meanwhile. The lane itself runs in its orchestration (<c>LaneOrchestrator</c>), started by the first
/// submission or the <c>LaneKeeper</c> timer.
/// </summary>
internal sealed class PlatformStartup(Platform platform, ILogger<PlatformStartup> logger) : BackgroundService
{
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
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.PlatformStorageUnavailable(attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 10)), stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
