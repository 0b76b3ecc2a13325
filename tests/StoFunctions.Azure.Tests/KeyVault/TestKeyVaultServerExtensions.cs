using Azure.Core.Pipeline;
using StoFunctions.Azure.KeyVault;
using StoFunctions.Testing.KeyVault;

namespace StoFunctions.Azure.Tests.KeyVault;

internal static class TestKeyVaultServerExtensions
{
    /// <summary>Client options that reach the test vault, with short retry delays so tests measure Retry-After, not backoff.</summary>
    public static KeyVaultClientOptions ClientOptions(this TestKeyVaultServer server, int maxRetries = 3) => new()
    {
        Transport = new HttpClientTransport(server.CreateHttpHandler()),
        Retry = { Delay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromSeconds(5), MaxRetries = maxRetries },
    };
}
