using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.Planning;

/// <summary>The contract addresses predicted for the creation intents of one command, by intent index.</summary>
public sealed class PlannedAddresses
{
    private readonly IReadOnlyDictionary<int, Address> _created;

    internal PlannedAddresses(IReadOnlyDictionary<int, Address> created)
    {
        _created = created;
    }

    /// <summary>The address the creation intent at <paramref name="intentIndex"/> will deploy to.</summary>
    /// <exception cref="PipelineException">That intent is not a creation of this command.</exception>
    public Address CreatedBy(int intentIndex) =>
        _created.TryGetValue(intentIndex, out Address address)
            ? address
            : throw new PipelineException($"Intent {intentIndex} is not an earlier contract creation of this command; a reference must point at a creation intent before it.");
}
