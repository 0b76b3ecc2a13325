using StoFunctions.LocalHost.Functions;

namespace StoFunctions.Tests.LocalHost;

public sealed class BlobPathTests
{
    private static readonly BlobPath s_distributions = BlobPath.Parse("distributions/{token}/{name}");

    [Fact]
    public void The_container_is_the_first_segment_and_the_parameters_follow_in_order()
    {
        Assert.Equal("distributions", s_distributions.Container);
        Assert.Equal(["token", "name"], s_distributions.Parameters);
    }

    [Fact]
    public void A_name_under_a_folder_binds_the_folder_and_the_file()
    {
        IReadOnlyDictionary<string, string>? values = s_distributions.Match("0xabc/may.csv");

        Assert.NotNull(values);
        Assert.Equal("0xabc", values["token"]);
        Assert.Equal("may.csv", values["name"]);
    }

    [Fact]
    public void The_last_parameter_takes_the_rest_of_a_nested_name()
    {
        Assert.Equal("a/b/nested.csv", s_distributions.Match("0xabc/a/b/nested.csv")?["name"]);
    }

    [Fact]
    public void A_name_without_a_folder_does_not_match_so_it_never_triggers()
    {
        Assert.Null(s_distributions.Match("loose.csv"));
    }

    [Fact]
    public void Literal_parts_of_the_pattern_must_match_exactly()
    {
        BlobPath csv = BlobPath.Parse("drops/{name}.csv");

        Assert.Equal("may", csv.Match("may.csv")?["name"]);
        Assert.Null(csv.Match("may.txt"));
    }

    [Fact]
    public void A_path_starting_with_a_parameter_is_refused_naming_the_path()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BlobPath.Parse("{container}/{name}"));

        Assert.Contains("'{container}/{name}'", error.Message, StringComparison.Ordinal);
    }
}
