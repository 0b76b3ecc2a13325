using StoFunctions.Testing;

namespace StoFunctions.Tests.Resilience;

/// <summary>One anvil and one Azurite for the crash-point tests; each test signs as its own anvil account (its own lane).</summary>
public sealed class CrashChain : IAsyncLifetime
{
    public AnvilProcess Anvil { get; private set; } = null!;

    public AzuriteProcess Azurite { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Task<AnvilProcess> anvil = AnvilProcess.StartAsync();
        Azurite = await AzuriteProcess.StartAsync();
        Anvil = await anvil;
    }

    public async Task DisposeAsync()
    {
        await Anvil.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}
