using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace StoFunctions.Tests.Composition;

/// <summary>
/// <c>Signer:KeyVaultUrl</c> must be https: the Key Vault client would send the app's bearer token to it, so an
/// http (or relative) URL stops the app at startup with the setting, its value and the fix.
/// </summary>
public sealed class KeyVaultUrlSettingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sto-kv-url-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("http://stofunc-kv.vault.azure.net/")]
    [InlineData("stofunc-kv.vault.azure.net")]
    public void The_app_in_KeyVault_mode_does_not_start_with_a_vault_url_that_is_not_https(string url)
    {
        WebApplicationFactory<Program> app = StartKeyVaultApp(url);

        Exception error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains($"Signer:KeyVaultUrl '{url}' is not an absolute https URL; set it to https://<vault>.vault.azure.net/", error.ToString(), StringComparison.Ordinal);
    }

    private WebApplicationFactory<Program> StartKeyVaultApp(string vaultUrl)
    {
        // Storage and chain nobody listens on: the app fails on the setting before it would need either.
        var values = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=AAAA;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;",
            ["Ethereum__RpcUrl"] = "http://127.0.0.1:9",
            ["Ethereum__ChainId"] = "31337",
            ["Signer__Mode"] = "KeyVault",
            ["Signer__KeyVaultUrl"] = vaultUrl,
            ["Signer__KeyName"] = "sto-signer",
        };
        File.WriteAllText(Path.Combine(_dir, "host.json"), """{ "version": "2.0" }""");
        File.WriteAllText(Path.Combine(_dir, "local.settings.json"), JsonSerializer.Serialize(new { IsEncrypted = false, Values = values }));
        return new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseContentRoot(_dir));
    }
}
