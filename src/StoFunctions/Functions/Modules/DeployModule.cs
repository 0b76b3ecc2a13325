using System.Text.Json;
using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Modules;

/// <summary>
/// <c>POST /api/modules</c> <c>{ type, parent, maxHolders?, holderCount? }</c> [module-deploy]: deploy one of the
/// sample modules, administered by the issuer, for its parent: <c>lockup</c> and <c>max-holders</c> (a token),
/// <c>country-lock</c> (an IssuingEntity), <c>custodian-lock</c> (a Custodian). <c>output.moduleAddress</c> is its
/// predicted address; attach it with the module routes after reading <c>GET /api/modules/{module}</c>.
/// </summary>
public sealed class DeployModule(IssuerChain chain) : ICommandPlanner
{
    /// <summary>The sample module types.</summary>
    public static IReadOnlyList<string> Types { get; } = ["lockup", "max-holders", "country-lock", "custodian-lock"];

    /// <inheritdoc />
    public string Name => "module-deploy";

    /// <summary><c>POST /api/modules</c>.</summary>
    [Function("DeployModule")]
    public static Task<IResult> DeployModuleAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "modules")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "module-deploy", bodyOptional: false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        string? type = reader.String("type");
        Address? parent = reader.Address("parent");
        if (type is not null && !Types.Contains(type))
        {
            reader.Add("type", $"'{type}' is not a sample module; one of {string.Join(", ", Types)}.");
        }

        bool maxHolders = type == "max-holders";
        ulong? limit = maxHolders ? reader.UInt64("maxHolders", 1, ulong.MaxValue, required: true) : null;
        ulong count = maxHolders ? reader.UInt64("holderCount", 0, ulong.MaxValue) ?? 0 : 0;
        if (input.ValueKind == JsonValueKind.Object)
        {
            string[] allowed = maxHolders ? ["type", "parent", "maxHolders", "holderCount"] : ["type", "parent"];
            foreach (JsonProperty member in input.EnumerateObject().Where(m => !allowed.Contains(m.Name)))
            {
                reader.Add(member.Name, $"Unknown member; a {type ?? "module"} deployment takes {string.Join(", ", allowed)}.");
            }
        }

        reader.ThrowIfInvalid();
        if ((await chain.Rpc.GetCodeAsync(parent!.Value, cancellationToken: cancellationToken).ConfigureAwait(false)).Length == 0)
        {
            reader.Add("parent", $"No contract at {parent}; the parent is the token, IssuingEntity or Custodian the module is for.");
            reader.ThrowIfInvalid();
        }

        byte[] deploy = type switch
        {
            "lockup" => LockupModuleContract.Deploy(parent.Value, chain.Issuer),
            "max-holders" => MaxHoldersModuleContract.Deploy(parent.Value, chain.Issuer, limit!.Value, count),
            "country-lock" => CountryLockModuleContract.Deploy(parent.Value, chain.Issuer),
            _ => CustodianLockModuleContract.Deploy(parent.Value, chain.Issuer),
        };
        ulong gas = await GasLimits.EstimateAsync(chain, reader, "type", new CallRequest { Data = deploy }, $"{type} module deployment", cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();
        return [new TransactionIntent { Data = deploy, GasLimit = gas, Note = $"deploy a {type} module for {parent}", OutputName = "moduleAddress" }];
    }
}
