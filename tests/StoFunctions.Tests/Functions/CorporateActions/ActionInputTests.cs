using StoFunctions.Ethereum;
using StoFunctions.Functions.CorporateActions;

namespace StoFunctions.Tests.Functions.CorporateActions;

public sealed class ActionInputTests
{
    [Fact]
    public void ShortName_IsLeftAlignedAndZeroPadded_AsEthersEncodeBytes32String()
    {
        Assert.Equal(Hash32.Parse("0x70726f7370656374757300000000000000000000000000000000000000000000"), ActionInput.ToBytes32("prospectus"));
        Assert.Equal("prospectus", ActionInput.FromBytes32(ActionInput.ToBytes32("prospectus")));
    }

    [Fact]
    public void ThirtyTwoByteUtf8Name_RoundTrips()
    {
        string name = "Prospectus 2027 — final (EN)!!";
        Assert.Equal(32, System.Text.Encoding.UTF8.GetByteCount(name));
        Assert.Equal(name, ActionInput.FromBytes32(ActionInput.ToBytes32(name)));
    }

    [Fact]
    public void IsoTime_FormatsUnixSecondsInUtc()
    {
        Assert.Equal("2027-01-31T12:00:00Z", ActionReads.IsoTime(1_801_396_800));
    }
}
