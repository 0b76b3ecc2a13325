using Xunit;

namespace StoFunctions.Testing;

/// <summary>
/// A fresh anvil and a private Azurite (not the run's shared one), started together, for a test class whose
/// tests start app processes or hosts on them (crash points, two instances); tests that share it sign as
/// different anvil accounts (their own lanes).
/// </summary>
public sealed class PrivateChain : IAsyncLifetime
{
    /// <summary>The anvil (automine).</summary>
    public AnvilProcess Anvil { get; private set; } = null!;

    /// <summary>The private Azurite.</summary>
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
