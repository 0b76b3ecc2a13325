using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using StoFunctions.Hosting;

namespace StoFunctions.Tests.Hosting;

public sealed class FunctionKeysTests
{
    private static FunctionKeys Keys(params (string Key, string? Value)[] settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build());

    [Fact]
    public void Function_key_matches_at_function_level_with_its_name()
    {
        FunctionKeys keys = Keys(("FunctionKeys:ci", "fk-1234567890"), ("AdminKeys:master", "ak-1234567890"));
        Assert.Equal((AuthorizationLevel.Function, "ci"), keys.Match("fk-1234567890"));
    }

    [Fact]
    public void Admin_key_matches_at_admin_level_even_when_also_listed_as_a_function_key()
    {
        FunctionKeys keys = Keys(("FunctionKeys:default", "same-key-000000"), ("AdminKeys:master", "same-key-000000"));
        Assert.Equal((AuthorizationLevel.Admin, "master"), keys.Match("same-key-000000"));
    }

    [Theory]
    [InlineData("fk-123456789")]
    [InlineData("fk-12345678901")]
    [InlineData("FK-1234567890")]
    [InlineData("")]
    public void Near_misses_match_nothing(string presented)
    {
        FunctionKeys keys = Keys(("FunctionKeys:default", "fk-1234567890"));
        Assert.Null(keys.Match(presented));
    }

    [Fact]
    public void Empty_configured_keys_are_ignored_and_do_not_count_as_configured()
    {
        FunctionKeys keys = Keys(("FunctionKeys:default", ""), ("AdminKeys:master", null));
        Assert.False(keys.AnyConfigured);
        Assert.Null(keys.Match(""));
    }
}
