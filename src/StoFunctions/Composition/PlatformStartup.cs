using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Composition;

/// <summary>Creates the tables and containers the functions use before the lanes and listeners start.</summary>
internal sealed class PlatformStartup(Platform platform) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await platform.Commands.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await platform.Tokens.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await platform.Blobs.GetBlobContainerClient(Platform.DistributionsContainer).CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await platform.Queues.GetQueueClient(Platform.CommandsQueue).CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await platform.Commands.ResumePendingAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
