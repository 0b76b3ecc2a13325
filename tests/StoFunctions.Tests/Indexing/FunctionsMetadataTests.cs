using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Azure.Functions.Worker;
using StoFunctions.Hosting;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Indexing;

/// <summary>
/// The Function App as the Functions host indexes it: the <c>functions.metadata</c> the Worker SDK writes at
/// build, and the local host's endpoints built from the same <c>[Function]</c> attributes.
/// </summary>
public sealed class FunctionsMetadataTests
{
    // Every function: name, trigger type, then level + methods + route (HTTP), queue, blob path or schedule.
    // The HTTP routes are design/api.md's; the blob function's name is the one infra/ subscribes to Event Grid.
    private static readonly string[] s_expected =
    [
        "AddCustodian httpTrigger Function POST issuing-entities/{entity}/custodians",
        "Announce httpTrigger Function POST tokens/{token}/announcements",
        "AttachIssuerModule httpTrigger Function POST issuing-entities/{entity}/modules",
        "AttachModule httpTrigger Function POST tokens/{token}/modules",
        "BurnTokens httpTrigger Function POST tokens/{token}/burn",
        "CommandOrchestrator orchestrationTrigger",
        "CommandProgress activityTrigger",
        "CreateBallot httpTrigger Function POST tokens/{token}/ballots",
        "CreatePayout httpTrigger Function POST tokens/{token}/payouts",
        "Dashboard httpTrigger Anonymous GET dashboard",
        "DashboardFile httpTrigger Anonymous GET dashboard/{*path}",
        "DeployIssuingEntity httpTrigger Function POST issuing-entities",
        "DeployKycRegistry httpTrigger Function POST kyc-registries",
        "DeployModule httpTrigger Function POST modules",
        "DetachIssuerModule httpTrigger Function DELETE issuing-entities/{entity}/modules/{module}",
        "DetachModule httpTrigger Function DELETE tokens/{token}/modules/{module}",
        "DirectPayout httpTrigger Function POST tokens/{token}/direct-payouts",
        "Distribute httpTrigger Function POST tokens/{token}/distributions",
        "DistributionBlob blobTrigger distributions/{token}/{name} source EventGrid connection AzureWebJobsStorage",
        "ForcedTransfer httpTrigger Function POST tokens/{token}/forced-transfers",
        "FreezeAccount httpTrigger Function POST tokens/{token}/freezes",
        "GetAccountNonce httpTrigger Function GET accounts/{address}/nonce",
        "GetAnnouncements httpTrigger Function GET tokens/{token}/announcements",
        "GetBalanceHistory httpTrigger Function GET tokens/{token}/holders/{address}/history",
        "GetBallot httpTrigger Function GET tokens/{token}/ballots/{ballotId}",
        "GetCommand httpTrigger Function GET commands/{id}",
        "GetCommandRows httpTrigger Function GET commands/{id}/rows",
        "GetContractSource httpTrigger Function GET tokens/{token}/source",
        "GetDiagnose httpTrigger Function GET diagnose",
        "GetDocuments httpTrigger Function GET tokens/{token}/documents",
        "GetFrozenAddresses httpTrigger Function GET tokens/{token}/frozen",
        "GetHealth httpTrigger Anonymous GET health",
        "GetHolders httpTrigger Function GET tokens/{token}/holders",
        "GetIssuerModules httpTrigger Function GET issuing-entities/{entity}/modules",
        "GetKycEntry httpTrigger Function GET kyc-registries/{registry}/entries/{address}",
        "GetModule httpTrigger Function GET modules/{module}",
        "GetPayout httpTrigger Function GET tokens/{token}/payouts/{payoutId}",
        "GetPayoutHolders httpTrigger Function GET tokens/{token}/payouts/{payoutId}/holders",
        "GetToken httpTrigger Function GET tokens/{token}",
        "GetTokenModules httpTrigger Function GET tokens/{token}/modules",
        "IssueToken httpTrigger Function POST tokens",
        "LaneKeeper timerTrigger %LaneKeeperSchedule%",
        "LaneOrchestrator orchestrationTrigger",
        "LaneSlice activityTrigger",
        "LinkToken httpTrigger Function POST issuing-entities/{entity}/tokens",
        "ListBallots httpTrigger Function GET tokens/{token}/ballots",
        "ListCommands httpTrigger Function GET commands",
        "ListDistributionFiles httpTrigger Function GET tokens/{token}/distribution-files",
        "ListKycEntries httpTrigger Function GET kyc-registries/{registry}/entries",
        "ListPayouts httpTrigger Function GET tokens/{token}/payouts",
        "ListSnapshots httpTrigger Function GET tokens/{token}/snapshots",
        "ListTokens httpTrigger Function GET tokens",
        "ListTransactions httpTrigger Function GET transactions",
        "MintTokens httpTrigger Function POST tokens/{token}/mint",
        "PauseToken httpTrigger Function POST tokens/{token}/pause",
        "PushPayout httpTrigger Function POST tokens/{token}/payouts/{payoutId}/push",
        "PutIdentities httpTrigger Function PUT identities",
        "ReclaimPayout httpTrigger Function POST tokens/{token}/payouts/{payoutId}/reclaim",
        "RecoverWallet httpTrigger Function POST tokens/{token}/recoveries",
        "RemoveDocument httpTrigger Function DELETE tokens/{token}/documents/{name}",
        "RestartAccountNonce httpTrigger Admin POST accounts/{address}/nonce/restart",
        "Scan timerTrigger %ScanSchedule%",
        "ScanToken httpTrigger Function POST tokens/{token}/scans",
        "SetDocument httpTrigger Function POST tokens/{token}/documents",
        "SetKycEntries httpTrigger Function POST kyc-registries/{registry}/entries",
        "SetRestriction httpTrigger Function POST tokens/{token}/restrictions",
        "SetTokenInformation httpTrigger Function POST tokens/{token}/information",
        "StoCommandsQueue queueTrigger sto-commands connection AzureWebJobsStorage",
        "TakeSnapshot httpTrigger Function POST tokens/{token}/snapshots",
        "TransferTokens httpTrigger Function POST tokens/{token}/transfers",
        "UnpauseToken httpTrigger Function POST tokens/{token}/unpause",
        "WatchToken httpTrigger Function PUT tokens/{token}/watch",
    ];

    [Fact]
    public void The_built_functions_metadata_lists_exactly_the_expected_functions_and_triggers()
    {
        Assert.Equal(s_expected, Indexed().Select(f => f.Describe()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_function_runs_from_the_app_assembly_as_dotnet_isolated()
    {
        Assert.All(Indexed(), f =>
        {
            Assert.Equal("StoFunctions.dll", f.ScriptFile);
            Assert.Equal("dotnet-isolated", f.Language);
            Assert.StartsWith("StoFunctions.Functions.", f.EntryPoint, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task The_local_host_serves_every_HTTP_function_of_the_metadata_with_its_route_methods_and_level()
    {
        await using var app = new WebApplicationFactory<Program>();
        Dictionary<string, RouteEndpoint> endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
            .ToDictionary(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName);

        List<IndexedFunction> http = Indexed().Where(f => f.Trigger == "httpTrigger").ToList();
        Assert.Equal(http.Select(f => f.Name).Order(), endpoints.Keys.Order());
        Assert.All(http, f =>
        {
            RouteEndpoint endpoint = endpoints[f.Name];
            Assert.Equal("api/" + f.Binding.GetProperty("route").GetString(), endpoint.RoutePattern.RawText?.TrimStart('/'));
            Assert.Equal(f.Binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()), endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods);
            Assert.Equal(Enum.Parse<AuthorizationLevel>(f.Binding.GetProperty("authLevel").GetString()!), endpoint.Metadata.GetMetadata<AuthorizationLevelMetadata>()!.Level);
        });
    }

    private static List<IndexedFunction> Indexed()
    {
        // AppContext.BaseDirectory is …/bin/{configuration}/{tfm}/ of this test project; the app is built alongside.
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string path = Path.Combine(RepoPaths.Root, "src", "StoFunctions", "bin", tfm.Parent!.Name, tfm.Name, "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: the Worker SDK writes it when src/StoFunctions builds.");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Select(f => new IndexedFunction(
            f.GetProperty("name").GetString()!,
            f.GetProperty("scriptFile").GetString()!,
            f.GetProperty("entryPoint").GetString()!,
            f.GetProperty("language").GetString()!,
            f.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("direction").GetString() == "In" && b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal)).Clone())).ToList();
    }

    private sealed record IndexedFunction(string Name, string ScriptFile, string EntryPoint, string Language, JsonElement Binding)
    {
        public string Trigger => Binding.GetProperty("type").GetString()!;

        public string Describe() => ($"{Name} {Trigger} " + Trigger switch
        {
            "httpTrigger" => $"{Binding.GetProperty("authLevel").GetString()} {string.Join(",", Binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()))} {Binding.GetProperty("route").GetString()}",
            "queueTrigger" => $"{Binding.GetProperty("queueName").GetString()} connection {Binding.GetProperty("connection").GetString()}",
            "blobTrigger" => $"{Binding.GetProperty("path").GetString()} source {Binding.GetProperty("source").GetString()} connection {Binding.GetProperty("connection").GetString()}",
            "timerTrigger" => Binding.GetProperty("schedule").GetString()!,
            _ => "",
        }).TrimEnd();
    }
}
