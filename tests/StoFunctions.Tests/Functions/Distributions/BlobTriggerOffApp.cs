using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StoFunctions.Runtime;
using StoFunctions.Testing;
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

    private AzuriteProcess? _azurite;
    private AnvilProcess? _anvil;

    public async Task InitializeAsync()
    {
        Task<AnvilProcess> anvil = AnvilProcess.StartAsync();
        _azurite = await AzuriteProcess.StartAsync();
        _anvil = await anvil;
        App = PlatformApp.Attach(_azurite, _anvil, new Dictionary<string, string?>(), WithoutBlobListeners);
        // The app creates the container in the background at start; the tests upload before that may have run.
        await App.Distributions.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        if (_anvil is not null)
        {
            await _anvil.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
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
