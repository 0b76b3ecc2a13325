using Microsoft.DurableTask.Client;
using System.Text.Json;
using System.Text.Json.Nodes;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Kyc;

/// <summary>
/// <c>POST /api/kyc-registries</c> [kyc-deploy]: deploy a <c>KycRegistry</c> administered by the issuer;
/// <c>output.registryAddress</c> is its predicted address. The body may be empty or <c>{}</c>.
/// </summary>
public sealed class DeployKycRegistry(IssuerChain chain) : ICommandPlanner
{
    /// <inheritdoc />
    public string Name => "kyc-deploy";

    /// <summary><c>POST /api/kyc-registries</c>.</summary>
    [Function("DeployKycRegistry")]
    public static Task<IResult> DeployKycRegistryAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "kyc-registries")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        HandleAsync(request.HttpContext, durable);

    private static async Task<IResult> HandleAsync(HttpContext context, DurableTaskClient durable)
    {
        JsonObject body = [];
        if (context.Request.ContentLength is null or > 0)
        {
            (JsonObject? parsed, IResult? bad) = await CommandEndpoint.ReadObjectAsync(context.Request).ConfigureAwait(false);
            if (parsed is null && context.Request.ContentLength > 0)
            {
                return bad!;
            }

            body = parsed ?? [];
        }

        return await CommandEndpoint.SubmitAsync(context, durable, "kyc-deploy", body).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty member in input.EnumerateObject())
            {
                reader.Add(member.Name, "Unknown member; deploying a registry takes no input.");
            }
        }

        reader.ThrowIfInvalid();
        byte[] deploy = KycRegistryContract.Deploy(chain.Issuer);
        ulong gas = await GasLimits.EstimateAsync(chain, reader, "registry", new CallRequest { Data = deploy }, "KycRegistry deployment", cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();
        return [new TransactionIntent { Data = deploy, GasLimit = gas, Note = "deploy KycRegistry", OutputName = "registryAddress" }];
    }
}
