using StoFunctions.Testing;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>One automining anvil per test class; each test uses its own sender account and tables.</summary>
public sealed class AnvilFixture : IAsyncLifetime
{
    private int _nextAccount;

    public AnvilProcess Anvil { get; private set; } = null!;

    /// <summary>A sender account not used by another test of the class (1..9).</summary>
    public int NextAccount() => 1 + (Interlocked.Increment(ref _nextAccount) - 1) % 9;

    public async Task InitializeAsync() => Anvil = await AnvilProcess.StartAsync();

    public async Task DisposeAsync() => await Anvil.DisposeAsync();
}
