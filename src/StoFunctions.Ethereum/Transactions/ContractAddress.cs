namespace StoFunctions.Ethereum;

/// <summary>Addresses of contracts created by CREATE and CREATE2.</summary>
public static class ContractAddress
{
    /// <summary>CREATE: keccak256(rlp([sender, nonce]))[12..] (Yellow Paper §7).</summary>
    public static Address Create(Address sender, ulong nonce)
    {
        int payload = 1 + Address.Size + Rlp.LengthOfUInt64(nonce);
        Span<byte> buffer = stackalloc byte[1 + payload];
        var writer = new RlpWriter(buffer);
        writer.WriteListHeader(payload);
        writer.WriteAddress(sender);
        writer.WriteUInt64(nonce);
        return LastTwentyBytesOfHash(buffer[..writer.Position]);
    }

    /// <summary>CREATE2: keccak256(0xff ‖ deployer ‖ salt ‖ keccak256(initCode))[12..] (<see href="https://eips.ethereum.org/EIPS/eip-1014">EIP-1014</see>).</summary>
    public static Address Create2(Address deployer, Hash32 salt, Hash32 initCodeHash)
    {
        Span<byte> buffer = stackalloc byte[1 + Address.Size + 32 + 32];
        buffer[0] = 0xFF;
        deployer.CopyTo(buffer[1..]);
        salt.CopyTo(buffer[21..]);
        initCodeHash.CopyTo(buffer[53..]);
        return LastTwentyBytesOfHash(buffer);
    }

    /// <summary>CREATE2 from the init code itself.</summary>
    public static Address Create2(Address deployer, Hash32 salt, ReadOnlySpan<byte> initCode) =>
        Create2(deployer, salt, Keccak256.Hash(initCode));

    private static Address LastTwentyBytesOfHash(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(data, hash);
        return Address.FromBytes(hash[12..]);
    }
}
