namespace StoFunctions.Pipeline.CapTables;

/// <summary>One beneficial owner of a custodian's holding (seed 002 Custodian), from the custodian's events.</summary>
/// <param name="Id">The owner's investor ID (bytes32, 0x + 64 hex digits) as the issuer's IssuingEntity gives it.</param>
/// <param name="Balance">Token units rounded to the requested accuracy.</param>
/// <param name="Raw">Exact raw integer.</param>
public sealed record BeneficialOwner(string Id, string Balance, string Raw);
