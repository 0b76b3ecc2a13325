using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Functions.CorporateActions;

namespace StoFunctions.Functions.Modules;

/// <summary>Chain reads of the module routes: a token's IssuingEntity and what a module declares.</summary>
public static class ModuleReads
{
    /// <summary>What a module says about itself (seed 002 <c>ModuleBase</c>).</summary>
    /// <param name="Name">Its <c>name()</c>, null when it does not answer.</param>
    /// <param name="Owner">Its <c>getOwner()</c>: the parent it is written for; null when it does not answer.</param>
    /// <param name="Hooks">Hook selectors of <c>getPermissions()</c>, 0x + 8 hex digits.</param>
    /// <param name="Permissions">Permission selectors of <c>getPermissions()</c>.</param>
    public sealed record Declaration(string? Name, Address? Owner, IReadOnlyList<string> Hooks, IReadOnlyList<string> Permissions);

    /// <summary>The token's <c>issuingEntity()</c> (zero when unset), or null when the token does not answer it.</summary>
    public static async Task<Address?> IssuingEntityAsync(JsonRpcClient rpc, Address token, BlockParameter block, CancellationToken cancellationToken)
    {
        byte[]? answer = (await ActionReads.CallManyAsync(rpc, [(token, SecurityTokenContract.IssuingEntity())], block, cancellationToken).ConfigureAwait(false))[0];
        return answer is { Length: >= 32 } ? SecurityTokenContract.DecodeIssuingEntity(answer) : null;
    }

    /// <summary>The module's declaration, or null when it does not answer <c>getPermissions()</c>.</summary>
    public static async Task<Declaration?> DeclarationAsync(JsonRpcClient rpc, Address module, BlockParameter block, CancellationToken cancellationToken)
    {
        // Any ModuleBase binding encodes these; Lockup is one of ours.
        byte[]?[] answers = await ActionReads.CallManyAsync(rpc, [(module, LockupModuleContract.GetPermissions()), (module, LockupModuleContract.Name()), (module, LockupModuleContract.GetOwner())], block, cancellationToken).ConfigureAwait(false);
        if (answers[0] is not { Length: >= 64 } declared)
        {
            return null;
        }

        (byte[][] hooks, byte[][] permissions) = LockupModuleContract.DecodeGetPermissions(declared);
        string? name = null;
        if (answers[1] is { Length: >= 64 } named)
        {
            try
            {
                name = LockupModuleContract.DecodeName(named);
            }
            catch (Ethereum.Abi.AbiException)
            {
                name = null;
            }
        }

        Address? owner = answers[2] is { Length: >= 32 } o ? LockupModuleContract.DecodeGetOwner(o) : null;
        return new Declaration(name, owner, [.. hooks.Select(h => Hex.Encode(h))], [.. permissions.Select(p => Hex.Encode(p))]);
    }
}
