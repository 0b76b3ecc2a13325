using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using StoFunctions.Composition;
using StoFunctions.Contracts;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.Commands;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Modules;

/// <summary>
/// <c>POST /api/issuing-entities</c> [entity-deploy]: deploy an <c>IssuingEntity</c> administered by the issuer
/// (seed 002: the issuer's tokens belong to it and their modules are attached through it);
/// <c>output.entityAddress</c> is its predicted address. The body may be empty or <c>{}</c>.
/// </summary>
public sealed class DeployIssuingEntity(IssuerChain chain) : ICommandPlanner
{
    /// <inheritdoc />
    public string Name => "entity-deploy";

    /// <summary><c>POST /api/issuing-entities</c>.</summary>
    [Function("DeployIssuingEntity")]
    public static async Task<IResult> DeployIssuingEntityAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "issuing-entities")] HttpRequest request, [DurableClient] DurableTaskClient durable)
    {
        (JsonObject? body, IResult? bad) = await CommandEndpoint.ReadObjectAsync(request, emptyIsObject: true).ConfigureAwait(false);
        return body is null ? bad! : await CommandEndpoint.SubmitAsync(request.HttpContext, durable, "entity-deploy", body).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty member in input.EnumerateObject())
            {
                reader.Add(member.Name, "Unknown member; deploying an issuing entity takes no input.");
            }
        }

        reader.ThrowIfInvalid();
        byte[] deploy = IssuingEntityContract.Deploy(chain.Issuer);
        ulong gas = await GasLimits.EstimateAsync(chain, reader, "entity", new CallRequest { Data = deploy }, "IssuingEntity deployment", cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();
        return [new TransactionIntent { Data = deploy, GasLimit = gas, Note = "deploy IssuingEntity", OutputName = "entityAddress" }];
    }
}
