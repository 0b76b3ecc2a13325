using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StoFunctions.Composition;
using StoFunctions.Ethereum;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Lanes;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Composition;

/// <summary>host.json <c>stoFunctions</c> lane keys bound onto the chain's <see cref="LaneOptions"/>.</summary>
public sealed class LaneSettingsTests : IDisposable
{
    // A storage account nobody listens on: the platform's startup retries it in the background, nothing is written.
    private const string UnreachableStorage = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";

    private readonly string _dir = Directory.CreateTempSubdirectory("sto-lane-settings-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private IConfiguration HostJson(string json)
    {
        string path = Path.Combine(_dir, "host.json");
        File.WriteAllText(path, json);
        return new ConfigurationBuilder().AddInMemoryCollection(FunctionsConfiguration.ReadHostJson(path)).Build();
    }

    [Fact]
    public void The_committed_host_json_keeps_the_dev_chain_and_production_defaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(FunctionsConfiguration.ReadHostJson(Path.Combine(RepoPaths.Root, "host.json"))).Build();

        LaneSettings settings = LaneSettings.Read(configuration);

        Assert.Equal(LaneOptions.DevChain, settings.ApplyTo(LaneOptions.DevChain));
        Assert.Equal(new LaneOptions(), settings.ApplyTo(new LaneOptions()));
    }

    [Fact]
    public void Every_key_set_in_host_json_replaces_the_chain_default_and_the_others_stay()
    {
        IConfiguration configuration = HostJson("""
            { "stoFunctions": { "confirmations": 3, "resendAfter": "00:00:12", "bumpAfter": "00:01:30", "inFlightWindow": 48, "feeCapGwei": 250.5 } }
            """);

        LaneOptions options = LaneSettings.Read(configuration).ApplyTo(LaneOptions.DevChain);

        Assert.Equal(
            (3, TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(90), 48, (UInt256)250_500_000_000UL),
            (options.Confirmations, options.ResendAfter, options.BumpAfter, options.InFlightWindow, options.Fees.MaxFeePerGasCap));
        Assert.Equal(LaneOptions.DevChain.PollInterval, options.PollInterval);
        Assert.Equal(LaneOptions.DevChain.SigningParallelism, options.SigningParallelism);
        Assert.Equal(LaneOptions.DevChain.Fees.MinPriorityFeePerGas, options.Fees.MinPriorityFeePerGas);
    }

    [Fact]
    public void A_partial_section_changes_only_its_keys()
    {
        LaneOptions options = LaneSettings.Read(HostJson("""{ "stoFunctions": { "confirmations": 20 } }""")).ApplyTo(new LaneOptions());

        Assert.Equal(new LaneOptions() with { Confirmations = 20 }, options);
    }

    [Fact]
    public void Invalid_values_are_refused_with_every_key_its_value_and_the_allowed_range()
    {
        IConfiguration configuration = HostJson("""
            { "stoFunctions": { "confirmations": 0, "resendAfter": "soon", "bumpAfter": "-00:00:01", "inFlightWindow": 5000, "feeCapGwei": 0.5 } }
            """);

        var error = Assert.Throws<InvalidOperationException>(() => LaneSettings.Read(configuration));

        Assert.Contains("stoFunctions.confirmations is '0'; use a whole number from 1 to 1000.", error.Message, StringComparison.Ordinal);
        Assert.Contains("stoFunctions.resendAfter is 'soon'; use a positive hh:mm:ss duration", error.Message, StringComparison.Ordinal);
        Assert.Contains("stoFunctions.bumpAfter is '-00:00:01'", error.Message, StringComparison.Ordinal);
        Assert.Contains("stoFunctions.inFlightWindow is '5000'; use a whole number from 1 to 4096.", error.Message, StringComparison.Ordinal);
        Assert.Contains("stoFunctions.feeCapGwei is '0.5'; use a number of gwei from 1 to 1000000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fee_cap_finer_than_one_wei_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LaneSettings.Read(HostJson("""{ "stoFunctions": { "feeCapGwei": 1.0000000001 } }""")));

        Assert.Contains("at most 9 decimals", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_app_on_a_dev_chain_runs_its_lane_with_the_host_json_values()
    {
        await using WebApplicationFactory<Program> app = StartApp("""{ "version": "2.0", "stoFunctions": { "confirmations": 4, "inFlightWindow": 64 } }""");

        LaneOptions options = app.Services.GetRequiredService<LaneOptions>();

        Assert.Equal(LaneOptions.DevChain with { Confirmations = 4, InFlightWindow = 64 }, options);
    }

    [Fact]
    public void The_app_does_not_start_with_an_invalid_host_json_value()
    {
        WebApplicationFactory<Program> app = StartApp("""{ "version": "2.0", "stoFunctions": { "inFlightWindow": "many" } }""");

        Exception error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("stoFunctions.inFlightWindow is 'many'", error.ToString(), StringComparison.Ordinal);
    }

    private WebApplicationFactory<Program> StartApp(string hostJson)
    {
        File.WriteAllText(Path.Combine(_dir, "host.json"), hostJson);
        File.WriteAllText(Path.Combine(_dir, "local.settings.json"), $$"""
            { "IsEncrypted": false, "Values": {
              "AzureWebJobsStorage": "{{UnreachableStorage}}",
              "Ethereum__RpcUrl": "http://127.0.0.1:9",
              "Ethereum__ChainId": "31337",
              "ScanSchedule": "0 * * * * *",
              "LaneKeeperSchedule": "0 * * * * *",
              "Signer__Mode": "Local",
              "Signer__LocalPrivateKey": "{{AnvilAccounts.PrivateKeys[0]}}" } }
            """);
        return new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseContentRoot(_dir));
    }
}
