namespace StoFunctions.Pipeline.CapTables;

/// <summary>One cap-table row (JSON shape binding per api.md).</summary>
/// <param name="Address">EIP-55 address.</param>
/// <param name="Name">Identity name or <c>&lt;Unknown&gt;</c>.</param>
/// <param name="Balance">Token units rounded to the requested accuracy.</param>
/// <param name="Raw">Exact raw integer.</param>
/// <param name="Percent">Share of the accounted supply in percent, two decimals.</param>
/// <param name="LastTransferBlock">Block of the holder's last transfer up to the table's block.</param>
/// <param name="LastTransferTime">Its timestamp.</param>
/// <param name="BeneficialOwners">
/// For a Custodian of the token's issuer (seed 002): who owns its holding, by investor ID, from the custodian's
/// events up to the table's block; their sum is this row's balance, which the total counts once. Absent otherwise.
/// </param>
public sealed record CapTableEntry(
    string Address,
    string Name,
    string Balance,
    string Raw,
    string Percent,
    ulong LastTransferBlock,
    DateTimeOffset LastTransferTime,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<BeneficialOwner>? BeneficialOwners = null);
