namespace StoFunctions.Pipeline.Ledger;

/// <summary>The outcome of one command in <see cref="NonceAllocator.AllocateManyAsync"/>.</summary>
/// <param name="Nonces">The nonce of each intent by intent index; empty when the command was refused.</param>
/// <param name="Conflicts">Why the command was refused (its business keys hold other content); empty when allocated.</param>
public sealed record CommandAllocation(ulong[] Nonces, IReadOnlyList<BusinessKeyConflict> Conflicts);
