using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Functions.Modules;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Issuer;

/// <summary>
/// <c>DELETE /api/tokens/{token}/modules/{module}</c> and <c>DELETE /api/issuing-entities/{entity}/modules/{module}</c>:
/// detach a module through the IssuingEntity.
/// </summary>
public sealed class DetachModule(IssuerChain chain) : ICommandPlanner
{
    private static readonly IReadOnlyList<string> s_members = ["module"];

    /// <inheritdoc />
    public string Name => "module-detach";

    /// <summary><c>DELETE /api/tokens/{token}/modules/{module}</c>.</summary>
    [Function("DetachModule")]
    public static Task<IResult> DetachModuleAsync([HttpTrigger(AuthorizationLevel.Function, "delete", Route = "tokens/{token}/modules/{module}")] HttpRequest request, string token, string module, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitAsync(request.HttpContext, durable, "module-detach", new JsonObject { ["token"] = token, ["module"] = module });

    /// <summary><c>DELETE /api/issuing-entities/{entity}/modules/{module}</c>.</summary>
    [Function("DetachIssuerModule")]
    public static Task<IResult> DetachIssuerModuleAsync([HttpTrigger(AuthorizationLevel.Function, "delete", Route = "issuing-entities/{entity}/modules/{module}")] HttpRequest request, string entity, string module, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitAsync(request.HttpContext, durable, "module-detach", new JsonObject { ["entity"] = entity, ["module"] = module });

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        ModuleTarget target = await ModuleTarget.ReadAsync(chain, reader, input, s_members, cancellationToken).ConfigureAwait(false);
        Address module = reader.Address("module") ?? Address.Zero;
        reader.ThrowIfInvalid();
        byte[] data = IssuingEntityContract.DetachModule(target.Target, module);
        string note = $"detach module {module} from {(target.Field == "entity" ? "the issuer" : $"token {target.Target}")}";
        ulong gas = await GasLimits.EstimateAsync(chain, reader, "module", new CallRequest { To = target.Entity, Data = data }, note, cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();
        return [new TransactionIntent { To = target.Entity, Data = data, GasLimit = gas, Note = note }];
    }
}
