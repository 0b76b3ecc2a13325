namespace StoFunctions.Ethereum.Tests.Differential;

/// <summary>
/// Random transactions of every type from a seeded <see cref="Random"/>: nonces, gas, fees and values of every byte
/// length from 0 (an empty RLP string) to the field's maximum, contract creations, empty and long data, access lists
/// with and without storage keys, and chain ids from 1 to 2^53.
/// </summary>
internal static class RandomTransactions
{
    private static readonly ulong[] s_chainIds = [1, 5, 10, 56, 137, 31337, 11155111, 9007199254740991];

    public static Transaction Next(Random random)
    {
        ulong nonce = Word(random, 8);
        UInt256 gasLimit = Word(random, 8);
        Address? to = random.Next(10) == 0 ? null : Address.FromBytes(Bytes(random, Address.Size));
        UInt256 value = Amount(random);
        byte[] data = random.Next(4) switch
        {
            0 => [],
            1 => Bytes(random, 4 + 32 * random.Next(4)),
            2 => Bytes(random, random.Next(56)), // around the 55-byte RLP short/long string boundary
            _ => Bytes(random, random.Next(600)),
        };
        ulong chainId = random.Next(3) == 0 ? (ulong)random.NextInt64(1, 1L << 53) : s_chainIds[random.Next(s_chainIds.Length)];
        return random.Next(4) switch
        {
            0 => new LegacyTransaction { Nonce = nonce, GasPrice = Amount(random), GasLimit = gasLimit, To = to, Value = value, Data = data },
            1 => new LegacyTransaction { Nonce = nonce, GasPrice = Amount(random), GasLimit = gasLimit, To = to, Value = value, Data = data, ChainId = chainId },
            2 => new Eip2930Transaction
            {
                ChainId = chainId, Nonce = nonce, GasPrice = Amount(random), GasLimit = gasLimit, To = to, Value = value, Data = data,
                AccessList = RandomAccessList(random),
            },
            _ => new Eip1559Transaction
            {
                ChainId = chainId, Nonce = nonce, MaxPriorityFeePerGas = Amount(random), MaxFeePerGas = Amount(random), GasLimit = gasLimit,
                To = to, Value = value, Data = data, AccessList = RandomAccessList(random),
            },
        };
    }

    /// <summary>A value of 0 to 32 bytes, small lengths more often (real fees and values are short).</summary>
    public static UInt256 Amount(Random random) => UInt256.FromBigEndian(Bytes(random, random.Next(3) == 0 ? random.Next(33) : random.Next(13)));

    public static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static ulong Word(Random random, int maxBytes)
    {
        byte[] bytes = Bytes(random, random.Next(maxBytes + 1));
        return bytes.Aggregate(0UL, (acc, b) => (acc << 8) | b);
    }

    private static AccessList RandomAccessList(Random random)
    {
        int count = random.Next(3) == 0 ? 0 : random.Next(1, 4);
        return new AccessList(Enumerable.Range(0, count).Select(_ => new AccessListEntry(
            Address.FromBytes(Bytes(random, Address.Size)),
            Enumerable.Range(0, random.Next(4)).Select(_ => Hash32.FromBytes(Bytes(random, 32))).ToArray())));
    }
}
