using StoFunctions.Testing;

namespace StoFunctions.Ethereum.Tests.Integration;

/// <summary>One anvil per test class (xunit class fixture), started on a free port and killed afterwards.</summary>
public sealed class AnvilFixture : IAsyncLifetime
{
    private AnvilProcess? _anvil;

    public AnvilProcess Anvil => _anvil ?? throw new InvalidOperationException("anvil is not started.");

    public Uri RpcUrl => Anvil.RpcUrl;

    public async Task InitializeAsync() => _anvil = await AnvilProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_anvil is not null)
        {
            await _anvil.DisposeAsync();
        }
    }
}
