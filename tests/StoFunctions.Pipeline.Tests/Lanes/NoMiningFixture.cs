using StoFunctions.Testing;

namespace StoFunctions.Pipeline.Tests.Lanes;

/// <summary>One anvil that mines only on request (<c>--no-mining</c>) per test class: tests decide when blocks happen.</summary>
public sealed class NoMiningFixture : IAsyncLifetime
{
    private int _nextAccount;

    public AnvilProcess Anvil { get; private set; } = null!;

    public int NextAccount() => 1 + (Interlocked.Increment(ref _nextAccount) - 1) % 9;

    public async Task InitializeAsync() => Anvil = await AnvilProcess.StartAsync(extraArguments: ["--no-mining"]);

    public async Task DisposeAsync() => await Anvil.DisposeAsync();
}
