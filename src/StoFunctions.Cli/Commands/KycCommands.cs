using System.CommandLine;
using System.Text.Json.Nodes;

namespace StoFunctions.Cli.Commands;

/// <summary><c>kyc-deploy</c>, <c>kyc-manage</c> and <c>kyc-show</c>.</summary>
public static class KycCommands
{
    /// <summary>The commands.</summary>
    public static IEnumerable<Command> Create(CliKit kit)
    {
        yield return kit.Submit("kyc-deploy", "deploy a KYC / restriction registry (output.registryAddress) [POST /api/kyc-registries]\n  e.g. sto kyc-deploy", HttpMethod.Post,
            _ => "kyc-registries", _ => new JsonBody().Object);

        Option<string> registry = CliKit.Required<string>("--registry", "registry address (0x…)");
        Option<string[]> addresses = new("--address") { Description = "address to set (repeat for several)", Required = true, AllowMultipleArgumentsPerToken = false };
        Option<string?> key = CliKit.Optional<string?>("--restriction-key", "restriction key: KYC (default) or a u64");
        Option<ulong?> value = CliKit.Optional<ulong?>("--value", "value to set (default 1 = whitelisted; 0 removes)");
        yield return kit.Submit("kyc-manage", "set addresses' restriction values, i.e. whitelist them [POST /api/kyc-registries/{registry}/entries]\n  e.g. sto kyc-manage --registry 0x… --address 0x… --address 0x…", HttpMethod.Post,
            r => $"kyc-registries/{CliKit.Segment(r.GetValue(registry)!)}/entries",
            r =>
            {
                var entries = new JsonArray();
                foreach (string address in r.GetValue(addresses)!)
                {
                    entries.Add(new JsonBody().Text("address", address).Text("key", r.GetValue(key)).Number("value", r.GetValue(value)).Object);
                }

                return new JsonObject { ["entries"] = entries };
            },
            registry, addresses, key, value);

        Option<string> showRegistry = CliKit.Required<string>("--registry", "registry address (or a restricted token that keeps its own values)");
        Option<string> showAddress = CliKit.Required<string>("--address", "the address");
        Option<string?> showKey = CliKit.Optional<string?>("--restriction-key", "restriction key: KYC (default) or a u64");
        yield return kit.Read("kyc-show", "an address's restriction value, read on chain (set: false when never set) [GET /api/kyc-registries/{registry}/entries/{address}]\n  e.g. sto kyc-show --registry 0x… --address 0x…",
            r => $"kyc-registries/{CliKit.Segment(r.GetValue(showRegistry)!)}/entries/{CliKit.Segment(r.GetValue(showAddress)!)}" + (r.GetValue(showKey) is { } k ? "?key=" + Uri.EscapeDataString(k) : ""),
            showRegistry, showAddress, showKey);
    }
}
