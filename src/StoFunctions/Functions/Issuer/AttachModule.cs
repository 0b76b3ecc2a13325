using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;

namespace StoFunctions.Functions.Issuer;

/// <summary><c>POST /api/tokens/{token}/modules</c> <c>{ module }</c>: attach a module contract.</summary>
public sealed class AttachModule(IssuerChain chain) : TokenControl(chain)
{
    /// <inheritdoc />
    public override string Name => "module-attach";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Members { get; } = ["module"];

    /// <summary><c>POST /api/tokens/{token}/modules</c>.</summary>
    [Function("AttachModule")]
    public static Task<IResult> AttachModuleAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/modules")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "module-attach", bodyOptional: true, ("token", token));

    /// <inheritdoc />
    protected override async Task<(byte[] Data, string Note)> BuildAsync(InputReader reader, Address token, int decimals, CancellationToken cancellationToken)
    {
        Address module = reader.Address("module") ?? Address.Zero;
        if (reader.Valid && (await Chain.Rpc.GetCodeAsync(module, cancellationToken: cancellationToken).ConfigureAwait(false)).Length == 0)
        {
            reader.Add("module", $"No contract at {module}.");
        }

        return (SecurityTokenContract.AttachModule(module), "attach a module");
    }
}
