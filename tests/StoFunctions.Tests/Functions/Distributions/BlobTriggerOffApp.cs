using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StoFunctions.Runtime;
using StoFunctions.Tests.EndToEnd;

namespace StoFunctions.Tests.Functions.Distributions;

/// <summary>
/// The app on its own Azurite and anvil with its blob trigger switched off, so a test decides when (and whether) a
/// dropped file gets its report: a state such as "re-uploaded after its report" then holds until the test moves on,
/// instead of for the few hundred milliseconds before the trigger's next poll.
/// </summary>
public sealed class BlobTriggerOffApp : IAsyncLifetime
{
    public PlatformApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await PlatformApp.StartAsync(new Dictionary<string, string?>(), WithoutBlobListeners);
        // The app creates the container in the background at start; the tests upload before that may have run.
        await App.Distributions.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }

    // Blob listeners are registered as IHostedService factories; each is wrapped so that a listener it builds is
    // replaced by a service that does nothing (the other hosted services are untouched).
    private static void WithoutBlobListeners(IServiceCollection services)
    {
        for (int i = 0; i < services.Count; i++)
        {
            ServiceDescriptor d = services[i];
            if (d.ServiceType == typeof(IHostedService) && d.ImplementationFactory is { } create)
            {
                services[i] = ServiceDescriptor.Singleton<IHostedService>(sp => create(sp) switch { BlobListener => new Idle(), var built => (IHostedService)built });
            }
        }
    }

    private sealed class Idle : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
