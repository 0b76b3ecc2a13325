using StoFunctions.Functions.Announcements;

namespace StoFunctions.Tests.Functions.Announcements;

public sealed class IsinTests
{
    [Theory]
    [InlineData("US0378331005")]
    [InlineData("AU0000XVGZA3")]
    [InlineData("GB0002634946")]
    [InlineData("DE000BAY0017")]
    [InlineData("FI0009000681")]
    public void PublishedIsins_AreValid(string isin)
    {
        Assert.True(Isin.TryValidate(isin, out string? error), error);
        Assert.Equal(isin[11] - '0', Isin.CheckDigit(isin[..11]));
    }

    [Theory]
    [InlineData("US0378331004", "check digit 4 but ISO 6166 gives 5")]
    [InlineData("us0378331005", "not an ISIN")]
    [InlineData("US037833100", "not an ISIN")]
    [InlineData("US03783310055", "not an ISIN")]
    [InlineData("1S0378331005", "not an ISIN")]
    [InlineData("US037833100X", "not an ISIN")]
    [InlineData("US03783-1005", "not an ISIN")]
    public void MalformedOrMistypedIsins_AreRefusedWithTheReason(string isin, string reason)
    {
        Assert.False(Isin.TryValidate(isin, out string? error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
