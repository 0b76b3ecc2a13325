namespace StoFunctions.Ethereum.Tests.Transactions;

/// <summary>Corrupted raw transactions either parse or fail with <see cref="TransactionException"/>, never another exception.</summary>
public class TransactionParseRobustnessTests
{
    private static readonly PrivateKey s_key = PrivateKey.Parse("0x4646464646464646464646464646464646464646464646464646464646464646");

    public static TheoryData<string> Samples() => new()
    {
        Hex.Encode(TransactionSigner.SignAndSerialize(
            new LegacyTransaction { ChainId = 1, Nonce = 9, GasPrice = 20_000_000_000UL, GasLimit = 21_000UL, To = Address.Zero, Value = 1UL }, s_key)),
        Hex.Encode(TransactionSigner.SignAndSerialize(
            new Eip2930Transaction
            {
                ChainId = 1, GasPrice = 1UL, GasLimit = 50_000UL, Data = new byte[70],
                AccessList = new AccessList([new AccessListEntry(Address.Zero, [Hash32.Zero, Hash32.Zero])]),
            },
            s_key)),
        Hex.Encode(TransactionSigner.SignAndSerialize(
            new Eip1559Transaction { ChainId = 31337, MaxFeePerGas = 2UL, MaxPriorityFeePerGas = 1UL, GasLimit = 60_000UL, To = Address.Zero, Data = new byte[100] },
            s_key)),
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Mutated_and_truncated_bytes_only_ever_raise_TransactionException(string hex)
    {
        byte[] original = Hex.Decode(hex);
        var random = new Random(original.Length);
        int rejected = 0;
        for (int i = 0; i < 1500; i++)
        {
            byte[] mutated = (byte[])original.Clone();
            int flips = 1 + random.Next(3);
            for (int f = 0; f < flips; f++)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            rejected += ParsesOrRejects(mutated) ? 0 : 1;
        }

        for (int length = 0; length < original.Length; length++)
        {
            Assert.False(ParsesOrRejects(original.AsSpan(0, length).ToArray()), $"prefix of {length} bytes was accepted");
        }

        Assert.True(ParsesOrRejects(original));
        Assert.True(rejected > 0);
    }

    [Fact]
    public void Random_bytes_only_ever_raise_RlpException()
    {
        var random = new Random(42);
        for (int i = 0; i < 5000; i++)
        {
            byte[] bytes = new byte[random.Next(0, 40)];
            random.NextBytes(bytes);
            try
            {
                RlpItem item = Ethereum.Rlp.Decode(bytes);
                Assert.Equal(bytes, Ethereum.Rlp.Encode(item));
            }
            catch (RlpException)
            {
            }
        }
    }

    private static bool ParsesOrRejects(byte[] raw)
    {
        try
        {
            SignedTransaction tx = TransactionSerializer.Parse(raw);

            // Anything accepted is canonical, so it re-serializes to the same bytes.
            Assert.Equal(raw, tx.Serialize());
            return true;
        }
        catch (TransactionException)
        {
            return false;
        }
    }
}
