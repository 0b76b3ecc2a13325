using Microsoft.Extensions.Configuration;
using StoFunctions.Hosting;

namespace StoFunctions.Tests.Hosting;

public sealed class FunctionsConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sto-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string json)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Host_json_keys_appear_under_AzureFunctionsJobHost()
    {
        string path = Write("host.json", """{ "version": "2.0", "extensions": { "queues": { "batchSize": 16, "messageEncoding": "base64" } }, "list": [ "a", true ] }""");
        var values = FunctionsConfiguration.ReadHostJson(path);
        Assert.Equal("2.0", values["AzureFunctionsJobHost:version"]);
        Assert.Equal("16", values["AzureFunctionsJobHost:extensions:queues:batchSize"]);
        Assert.Equal("base64", values["AzureFunctionsJobHost:extensions:queues:messageEncoding"]);
        Assert.Equal("a", values["AzureFunctionsJobHost:list:0"]);
        Assert.Equal("true", values["AzureFunctionsJobHost:list:1"]);
        Assert.Equal(5, values.Count);
    }

    [Fact]
    public void Local_settings_values_map_double_underscore_to_sections_and_keep_host_and_connection_strings()
    {
        string path = Write("local.settings.json", """
            { "IsEncrypted": false,
              "Values": { "AzureWebJobsStorage": "UseDevelopmentStorage=true", "Signer__Mode": "Local", "Ethereum__ChainId": 31337 },
              "Host": { "LocalHttpPort": 7072 },
              "ConnectionStrings": { "Ledger": "x" } }
            """);
        var values = FunctionsConfiguration.ReadLocalSettings(path);
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);
        Assert.Equal("Local", values["Signer:Mode"]);
        Assert.Equal("31337", values["Ethereum:ChainId"]);
        Assert.Equal("7072", values["Host:LocalHttpPort"]);
        Assert.Equal("x", values["ConnectionStrings:Ledger"]);
        Assert.Equal(5, values.Count);
    }

    [Fact]
    public void Malformed_local_settings_fails_naming_the_file_the_position_and_the_fix()
    {
        string path = Write("local.settings.json", """{ "Values": { "A": "1", } "B" }""");
        var ex = Assert.Throws<InvalidDataException>(() => FunctionsConfiguration.ReadLocalSettings(path));
        Assert.StartsWith(path + " is not valid JSON: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BytePositionInLine", ex.Message, StringComparison.Ordinal);
        Assert.Contains("local.settings.sample.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encrypted_local_settings_are_refused()
    {
        string path = Write("local.settings.json", """{ "IsEncrypted": true, "Values": { "A": "xyz" } }""");
        var ex = Assert.Throws<InvalidDataException>(() => FunctionsConfiguration.ReadLocalSettings(path));
        Assert.Contains("IsEncrypted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Object_in_values_is_refused_with_the_double_underscore_hint()
    {
        string path = Write("local.settings.json", """{ "Values": { "Signer": { "Mode": "Local" } } }""");
        var ex = Assert.Throws<InvalidDataException>(() => FunctionsConfiguration.ReadLocalSettings(path));
        Assert.Contains("Values.Signer is a JSON Object", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Signer__Mode", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sources_added_before_the_files_still_override_them()
    {
        Write("host.json", """{ "functionTimeout": "00:01:00", "extensions": { "http": { "routePrefix": "api" } } }""");
        Write("local.settings.json", """{ "Values": { "FunctionKeys__default": "from-file", "Ethereum__RpcUrl": "http://file" } }""");
        var builder = new ConfigurationBuilder();
        builder.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FunctionKeys:default"] = "from-environment",
            ["AzureFunctionsJobHost:functionTimeout"] = "00:02:00",
        });
        IReadOnlyList<string> found = builder.AddFunctionsFiles(_dir);
        IConfiguration config = builder.Build();

        Assert.Equal([Path.Combine(_dir, "host.json"), Path.Combine(_dir, "local.settings.json")], found);
        Assert.Equal("from-environment", config["FunctionKeys:default"]);
        Assert.Equal("00:02:00", config["AzureFunctionsJobHost:functionTimeout"]);
        Assert.Equal("http://file", config["Ethereum:RpcUrl"]);
        Assert.Equal("api", config["AzureFunctionsJobHost:extensions:http:routePrefix"]);
    }

    [Fact]
    public void Missing_files_add_nothing()
    {
        var builder = new ConfigurationBuilder();
        Assert.Empty(builder.AddFunctionsFiles(_dir));
        Assert.Empty(builder.Build().AsEnumerable());
    }
}
