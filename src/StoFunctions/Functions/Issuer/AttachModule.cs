using System.Text.Json;
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
/// <c>POST /api/tokens/{token}/modules</c> and <c>POST /api/issuing-entities/{entity}/modules</c>
/// <c>{ module, permissions, hooks? }</c>: attach a module to a token or to the issuer (active on all its tokens),
/// through the IssuingEntity (seed 002). The request must repeat exactly the permissions the module's
/// <c>getPermissions()</c> asks for (and the hooks, when given): the seed's "compare the requested hook points and
/// permissions to those required" made a check, so nobody grants rights they did not read; any difference is a
/// 409 naming what is missing and what is extra.
/// </summary>
public sealed class AttachModule(IssuerChain chain) : ICommandPlanner
{
    private static readonly IReadOnlyList<string> s_members = ["module", "permissions", "hooks"];

    /// <inheritdoc />
    public string Name => "module-attach";

    /// <summary><c>POST /api/tokens/{token}/modules</c>.</summary>
    [Function("AttachModule")]
    public static Task<IResult> AttachModuleAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "tokens/{token}/modules")] HttpRequest request, string token, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "module-attach", bodyOptional: true, ("token", token));

    /// <summary><c>POST /api/issuing-entities/{entity}/modules</c>.</summary>
    [Function("AttachIssuerModule")]
    public static Task<IResult> AttachIssuerModuleAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "issuing-entities/{entity}/modules")] HttpRequest request, string entity, [DurableClient] DurableTaskClient durable) =>
        CommandEndpoint.SubmitBodyAsync(request.HttpContext, durable, "module-attach", bodyOptional: true, ("entity", entity));

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var reader = new InputReader(input);
        ModuleTarget target = await ModuleTarget.ReadAsync(chain, reader, input, s_members, cancellationToken).ConfigureAwait(false);
        Address module = reader.Address("module") ?? Address.Zero;
        IReadOnlyList<string>? permissions = ReadSelectors(reader, "permissions", required: true);
        IReadOnlyList<string>? hooks = ReadSelectors(reader, "hooks", required: false);
        reader.ThrowIfInvalid();

        ModuleReads.Declaration? declared = await ModuleReads.DeclarationAsync(chain.Rpc, module, BlockParameter.Latest, cancellationToken).ConfigureAwait(false);
        if (declared is null)
        {
            reader.Add("module", (await chain.Rpc.GetCodeAsync(module, cancellationToken: cancellationToken).ConfigureAwait(false)).Length == 0
                ? $"No contract at {module}."
                : $"{module} does not answer getPermissions(); it is not a seed 002 module.");
            reader.ThrowIfInvalid();
        }

        var conflicts = new Dictionary<string, string[]>();
        Compare(conflicts, "permissions", declared!.Permissions, permissions!, module);
        if (hooks is not null)
        {
            Compare(conflicts, "hooks", declared.Hooks, hooks, module);
        }

        if (conflicts.Count > 0)
        {
            throw new CommandValidationException(conflicts, 409);
        }

        byte[] data = IssuingEntityContract.AttachModule(target.Target, module);
        string note = $"attach module {module} to {(target.Field == "entity" ? "the issuer" : $"token {target.Target}")}";
        ulong gas = await GasLimits.EstimateAsync(chain, reader, "module", new CallRequest { To = target.Entity, Data = data }, note, cancellationToken).ConfigureAwait(false);
        reader.ThrowIfInvalid();
        return [new TransactionIntent { To = target.Entity, Data = data, GasLimit = gas, Note = note }];
    }

    // Null when missing (an error if required) or invalid; selectors lower-case 0x + 8 hex digits.
    private static List<string>? ReadSelectors(InputReader reader, string field, bool required)
    {
        JsonElement? value = reader.Member(field);
        if (value is null)
        {
            if (required)
            {
                reader.Add(field, "Required: the module's permissions as GET /api/modules/{module} lists them (selectors or signatures; [] for none).");
            }

            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.Array)
        {
            reader.Add(field, "Must be an array of selectors (\"0x23b872dd\") or signatures (\"transferFrom(address,address,uint256)\").");
            return null;
        }

        var selectors = new List<string>();
        int i = 0;
        foreach (JsonElement item in value.Value.EnumerateArray())
        {
            string? selector = item.ValueKind == JsonValueKind.String ? ModuleSelectors.ParsePermission(item.GetString()!) : null;
            if (selector is null)
            {
                reader.Add($"{field}[{i}]", $"'{Echo(item)}' is neither a selector (0x + 8 hex digits) nor a signature such as transferFrom(address,address,uint256).");
            }
            else
            {
                selectors.Add(selector);
            }

            i++;
        }

        return selectors;
    }

    private static string Echo(JsonElement item)
    {
        string text = item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText();
        return text.Length > 100 ? text[..100] + "…" : text;
    }

    private static void Compare(Dictionary<string, string[]> conflicts, string field, IReadOnlyList<string> declared, IReadOnlyList<string> requested, Address module)
    {
        Func<string, string> describe = field == "hooks"
            ? s => ModuleSelectors.Hook(s) is { } h ? $"{s} ({h.Name})" : s
            : s => ModuleSelectors.Permission(s) is { } p ? $"{s} ({p.Name})" : s;
        string[] missing = [.. declared.Except(requested).Select(describe)];
        string[] extra = [.. requested.Except(declared).Select(describe)];
        var messages = new List<string>();
        if (missing.Length > 0)
        {
            messages.Add($"Module {module} asks for {field} the request does not repeat: {string.Join(", ", missing)}.");
        }

        if (extra.Length > 0)
        {
            messages.Add($"The request repeats {field} module {module} does not ask for: {string.Join(", ", extra)}.");
        }

        if (messages.Count > 0)
        {
            messages.Add($"Read GET /api/modules/{module}, decide, and repeat its {field} exactly.");
            conflicts[field] = [.. messages];
        }
    }
}
