using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.Ledger;

/// <summary>The CREATE address rule (yellow paper §7): keccak256(rlp([sender, nonce]))[12..].</summary>
internal static class CreateAddress
{
    public static Address Of(Address sender, ulong nonce)
    {
        byte[] encoded = Rlp.EncodeList(Rlp.EncodeBytes(sender.ToArray()), Rlp.EncodeUInt256(nonce));
        return Address.FromBytes(Keccak256.Hash(encoded).ToArray().AsSpan(12));
    }
}
