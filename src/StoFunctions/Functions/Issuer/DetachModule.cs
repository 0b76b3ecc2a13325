using Microsoft.DurableTask.Client;
using System.Text.Json.Nodes;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;

namespace StoFunctions.Functions.Issuer;

/// <summary><c>DELETE /api/tokens/{token}/modules/{module}</c>: detach a module.</summary>
public sealed class DetachModule(IssuerChain chain) : TokenControl(chain)
{
    /// <inheritdoc />
    public override string Name => "module-detach";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Members { get; } = ["module"];

    /// <summary><c>DELETE /api/tokens/{token}/modules/{module}</c>.</summary>
    [Function("DetachModule")]
    public static Task<IResult> DetachModuleAsync([HttpTrigger(AuthorizationLevel.Function, "delete", Route = "tokens/{token}/modules/{module}")] HttpRequest request, string token, string module, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitAsync(request.HttpContext, durable, "module-detach", new JsonObject { ["token"] = token, ["module"] = module });

    /// <inheritdoc />
    protected override Task<(byte[] Data, string Note)> BuildAsync(InputReader reader, Address token, int decimals, CancellationToken cancellationToken)
    {
        Address module = reader.Address("module") ?? Address.Zero;
        return Task.FromResult((SecurityTokenContract.DetachModule(module), "detach a module"));
    }
}
