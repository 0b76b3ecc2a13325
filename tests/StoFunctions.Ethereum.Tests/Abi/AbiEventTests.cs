using StoFunctions.Ethereum.Abi;

namespace StoFunctions.Ethereum.Tests.Abi;

public sealed class AbiEventTests
{
    private static readonly Address s_from = Address.Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    private static readonly Address s_to = Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

    [Fact]
    public void Transfer_EncodeLogThenDecode_RoundTripsWithAddressesInTopics()
    {
        AbiEvent transfer = AbiEvent.Parse("event Transfer(address indexed from, address indexed to, uint256 value)");

        (IReadOnlyList<Hash32> topics, byte[] data) = transfer.EncodeLog(s_from, s_to, (UInt256)500UL);

        Assert.Equal(3, topics.Count);
        Assert.Equal(transfer.Topic, topics[0]);
        Assert.Equal(Hash32.Parse("0x000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266"), topics[1]);
        Assert.Equal(32, data.Length);
        DecodedEvent decoded = transfer.DecodeLog(topics, data);
        Assert.Equal(s_from, decoded["from"]);
        Assert.Equal(s_to, decoded.Get<Address>("to"));
        Assert.Equal((UInt256)500UL, decoded["value"]);
        Assert.Equal("Transfer(from=0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266, to=0x70997970C51812dc3A010C7d01b50e0d17dc79C8, value=500)", decoded.ToString());
    }

    [Fact]
    public void IndexedDynamicValues_ComeBackAsTheKeccakOfTheirInPlaceEncoding()
    {
        AbiEvent e = AbiEvent.Parse("event Noted(string indexed note, uint8[] indexed codes, (bytes2,string) indexed pair, string body)");

        (IReadOnlyList<Hash32> topics, byte[] data) = e.EncodeLog("hello", new object[] { 1, 2 }, (object)new object[] { new byte[] { 0xab, 0xcd }, "x" }, "body text");
        DecodedEvent decoded = e.DecodeLog(topics, data);

        // string: keccak of the raw UTF-8 (https://docs.soliditylang.org/en/latest/abi-spec.html#encoding-of-indexed-event-parameters).
        Assert.Equal(Keccak256.Hash("hello"u8), decoded["note"]);

        // array: each element padded to 32 bytes, concatenated, no length word.
        byte[] codes = new byte[64];
        codes[31] = 1;
        codes[63] = 2;
        Assert.Equal(Keccak256.Hash(codes), decoded["codes"]);

        // tuple: bytes2 padded to a word, then the string's bytes padded to a multiple of 32, no offsets.
        byte[] pair = new byte[64];
        pair[0] = 0xab;
        pair[1] = 0xcd;
        pair[32] = (byte)'x';
        Assert.Equal(Keccak256.Hash(pair), decoded["pair"]);
        Assert.Equal("body text", decoded["body"]);
    }

    [Fact]
    public void TopicFilter_NullIsWildcardAndTrailingWildcardsMayBeOmitted()
    {
        AbiEvent transfer = AbiEvent.Parse("event Transfer(address indexed from, address indexed to, uint256 value)");

        IReadOnlyList<Hash32?> filter = transfer.EncodeTopicFilter(null, s_to);

        Assert.Equal(3, filter.Count);
        Assert.Equal(transfer.Topic, filter[0]);
        Assert.Null(filter[1]);
        Assert.Equal(AbiEvent.EncodeTopic(AbiType.Address, s_to), filter[2]);
        Assert.Single(transfer.EncodeTopicFilter());
        Assert.Contains("has 2 indexed parameters but 3 filter values", Assert.Throws<AbiException>(() => transfer.EncodeTopicFilter(null, null, null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeLog_WrongTopic0OrCount_IsRejected()
    {
        AbiEvent transfer = AbiEvent.Parse("event Transfer(address indexed from, address indexed to, uint256 value)");
        AbiEvent approval = AbiEvent.Parse("event Approval(address indexed owner, address indexed spender, uint256 value)");
        (IReadOnlyList<Hash32> topics, byte[] data) = transfer.EncodeLog(s_from, s_to, UInt256.One);

        Assert.Contains("but Approval(address,address,uint256) has topic", Assert.Throws<AbiException>(() => approval.DecodeLog(topics, data)).Message, StringComparison.Ordinal);
        Assert.Contains("the log has 2 topics but Transfer(address,address,uint256) needs 3", Assert.Throws<AbiException>(() => transfer.DecodeLog(topics.Take(2).ToArray(), data)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeLog_IndexedBoolTopicThatIsNotZeroOrOne_IsRejectedNamingTheParameter()
    {
        AbiEvent e = AbiEvent.Parse("event Flag(bool indexed on)");
        Hash32 bad = Hash32.Parse("0x0000000000000000000000000000000000000000000000000000000000000002");

        var error = Assert.Throws<AbiException>(() => e.DecodeLog([e.Topic, bad], []));

        Assert.Equal("on", error.Path);
        Assert.Contains("topic 1 is not a valid bool", error.Message, StringComparison.Ordinal);
    }
}
