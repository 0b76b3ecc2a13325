using System.Text.Json;
using StoFunctions.Pipeline.Commands;

namespace StoFunctions.Pipeline.Tests.Commands;

public sealed class CommandKeysTests
{
    [Fact]
    public void Fingerprint_MemberOrderAndWhitespace_DoNotMatter()
    {
        JsonElement a = JsonDocument.Parse("""{"rows":[{"a":1,"b":"x"}],"token":"0x1"}""").RootElement;
        JsonElement b = JsonDocument.Parse("""{ "token" : "0x1", "rows" : [ { "b" : "x", "a" : 1 } ] }""").RootElement;
        Assert.Equal(CommandKeys.Fingerprint("distribute", a), CommandKeys.Fingerprint("distribute", b));
    }

    [Fact]
    public void Fingerprint_DifferentValueOrNameOrArrayOrder_Differs()
    {
        JsonElement a = JsonDocument.Parse("""{"rows":[1,2]}""").RootElement;
        Assert.NotEqual(CommandKeys.Fingerprint("x", a), CommandKeys.Fingerprint("y", a));
        Assert.NotEqual(CommandKeys.Fingerprint("x", a), CommandKeys.Fingerprint("x", JsonDocument.Parse("""{"rows":[2,1]}""").RootElement));
    }

    [Fact]
    public void Fingerprint_HexCaseAndTrailingFractionZeros_DoNotMatter_ButOtherDigitsAndNamesDo()
    {
        JsonElement a = JsonDocument.Parse("""{"to":"0x0bdcc26C4B8077374ba9DB82164B77d6885b92a6","amount":"1.0","n":2.50,"name":"A"}""").RootElement;
        JsonElement b = JsonDocument.Parse("""{"to":"0x0bdcc26c4b8077374ba9db82164b77d6885b92a6","amount":"1","n":2.5,"name":"A"}""").RootElement;
        Assert.Equal(CommandKeys.Fingerprint("transfer", a), CommandKeys.Fingerprint("transfer", b));
        Assert.NotEqual(CommandKeys.LegacyFingerprint("transfer", a), CommandKeys.LegacyFingerprint("transfer", b));
        Assert.NotEqual(CommandKeys.Fingerprint("transfer", b), CommandKeys.Fingerprint("transfer", JsonDocument.Parse("""{"to":"0x0bdcc26c4b8077374ba9db82164b77d6885b92a6","amount":"10","n":2.5,"name":"A"}""").RootElement));
        Assert.NotEqual(CommandKeys.Fingerprint("transfer", b), CommandKeys.Fingerprint("transfer", JsonDocument.Parse("""{"to":"0x0bdcc26c4b8077374ba9db82164b77d6885b92a6","amount":"1","n":2.5,"name":"a"}""").RootElement));
    }

    [Fact]
    public void IdFor_SameKey_SameThirtyTwoHexId()
    {
        string id = CommandKeys.IdFor("order-17");
        Assert.Equal(id, CommandKeys.IdFor("order-17"));
        Assert.NotEqual(id, CommandKeys.IdFor("order-18"));
        Assert.Matches("^[0-9a-f]{32}$", id);
    }

    [Fact]
    public void Ranges_RoundTripConsecutiveRuns()
    {
        string ranges = CommandService.FormatRanges([7, 5, 6, 10, 12, 11, 20]);
        Assert.Equal("5-7,10-12,20-20", ranges);
        Assert.Equal([(5UL, 7UL), (10UL, 12UL), (20UL, 20UL)], CommandService.ParseRanges(ranges));
    }
}
