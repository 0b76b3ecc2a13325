using StoFunctions.Ethereum;

namespace StoFunctions.Functions.Modules;

/// <summary>
/// The hooks and permissions of seed 002, by selector: what <c>GET /api/modules/{module}</c> decodes a module's
/// <c>getPermissions()</c> to, and what an attach request may name a permission by (selector or signature).
/// </summary>
public static class ModuleSelectors
{
    /// <summary>One known selector.</summary>
    /// <param name="Selector">0x + 8 hex digits.</param>
    /// <param name="Name">E.g. <c>STModule.checkTransfer</c> or <c>SecurityToken.transferFrom</c>.</param>
    /// <param name="Signature">The canonical signature the selector is the Keccak of.</param>
    public sealed record Known(string Selector, string Name, string Signature);

    private static readonly (string Name, string Signature)[] s_hooks =
    [
        ("STModule.checkTransfer", "checkTransfer(address[2],bytes32,bytes32[2],uint8[2],uint16[2],uint256)"),
        ("STModule.transferTokens", "transferTokens(address[2],bytes32[2],uint8[2],uint16[2],uint256)"),
        ("STModule.transferTokensCustodian", "transferTokensCustodian(address,bytes32[2],uint8[2],uint16[2],uint256)"),
        ("STModule.totalSupplyChanged", "totalSupplyChanged(address,bytes32,uint8,uint16,uint256,uint256)"),
        ("STModule.modifyAuthorizedSupply", "modifyAuthorizedSupply(address,uint256,uint256)"),
        ("IssuerModule.checkTransfer", "checkTransfer(address,bytes32,bytes32[2],uint8[2],uint16[2],uint256)"),
        ("IssuerModule.transferTokens", "transferTokens(address,bytes32[2],uint8[2],uint16[2],uint256)"),
        ("IssuerModule.transferTokensCustodian", "transferTokensCustodian(address,address,bytes32[2],uint8[2],uint16[2],uint256)"),
        ("IssuerModule.tokenTotalSupplyChanged", "tokenTotalSupplyChanged(address,bytes32,uint8,uint16,uint256,uint256)"),
        ("CustodianModule.sentTokens", "sentTokens(address,bytes32,uint256,bool)"),
        ("CustodianModule.receivedTokens", "receivedTokens(address,bytes32,uint256)"),
        ("CustodianModule.internalTransfer", "internalTransfer(address,bytes32,bytes32,uint256,bool)"),
        ("CustodianModule.ownershipReleased", "ownershipReleased(address,bytes32)"),
    ];

    // detachModule(address) is the same selector on the token and the custodian; the name says both.
    private static readonly (string Name, string Signature)[] s_permissions =
    [
        ("SecurityToken.transferFrom", "transferFrom(address,address,uint256)"),
        ("SecurityToken.modifyBalance", "modifyBalance(address,uint256)"),
        ("SecurityToken.mint", "mint(address,uint256)"),
        ("SecurityToken.burn", "burn(address,uint256)"),
        ("SecurityToken.modifyAuthorizedSupply", "modifyAuthorizedSupply(uint256)"),
        ("SecurityToken/Custodian.detachModule", "detachModule(address)"),
        ("IssuingEntity.detachModule", "detachModule(address,address)"),
        ("Custodian.transfer", "transfer(address,address,uint256,bool)"),
        ("Custodian.transferInternal", "transferInternal(address,bytes32,bytes32,uint256,bool)"),
        ("Custodian.releaseOwnership", "releaseOwnership(address,bytes32)"),
    ];

    /// <summary>Every hook of the seed.</summary>
    public static IReadOnlyList<Known> Hooks { get; } = [.. s_hooks.Select(h => new Known(SelectorOf(h.Signature), h.Name, h.Signature))];

    /// <summary>Every permission a parent grants.</summary>
    public static IReadOnlyList<Known> Permissions { get; } = [.. s_permissions.Select(p => new Known(SelectorOf(p.Signature), p.Name, p.Signature))];

    /// <summary>0x + the first 4 bytes of Keccak-256 of <paramref name="signature"/>.</summary>
    public static string SelectorOf(string signature) =>
        Hex.Encode(Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes(signature)).ToArray().AsSpan(0, 4));

    /// <summary>The known hook with <paramref name="selector"/> (0x + 8 hex digits), or null.</summary>
    public static Known? Hook(string selector) => Hooks.FirstOrDefault(h => h.Selector == selector);

    /// <summary>The known permission with <paramref name="selector"/>, or null.</summary>
    public static Known? Permission(string selector) => Permissions.FirstOrDefault(p => p.Selector == selector);

    /// <summary>
    /// A permission as a request names it: a selector (<c>0x23b872dd</c>, any case) or a signature
    /// (<c>transferFrom(address,address,uint256)</c>); null when it is neither.
    /// </summary>
    public static string? ParsePermission(string text)
    {
        if (text.Length == 10 && text.StartsWith("0x", StringComparison.Ordinal) && text.AsSpan(2).ToString().All(Uri.IsHexDigit))
        {
            return text.ToLowerInvariant();
        }

        return text.Contains('(', StringComparison.Ordinal) && text.EndsWith(')') && !text.Contains(' ', StringComparison.Ordinal) ? SelectorOf(text) : null;
    }
}
