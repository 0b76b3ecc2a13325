using StoFunctions.Benchmarks.Api;

namespace StoFunctions.Benchmarks.Suites;

/// <summary>
/// The product through its front door (issue 20): distributions (JSON and text/csv), concurrent single transfers, a
/// scan and the cap table, each on a fresh anvil and Azurite with the local host as its own process, against the
/// chain's floors measured in the same run (see <see cref="ApiBench"/>); <c>--baseline-dir</c> measures a second
/// host build alongside. Usage: <see cref="ApiBenchOptions.Usage"/>.
/// </summary>
public sealed class ApiSuite : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "api";

    /// <inheritdoc />
    public string Description => "the local host over HTTP (distribution, 50-client transfers, scan, cap table) vs the chain's floors; --baseline-dir DIR adds another build";

    /// <inheritdoc />
    public async Task RunAsync(string[] args)
    {
        ApiBenchOptions options;
        try
        {
            options = ApiBenchOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException)
        {
            Console.Error.WriteLine(e.Message);
            Environment.ExitCode = 2;
            return;
        }

        ApiBenchReport report = await ApiBench.RunAsync(options, Console.Out);
        report.Print(Console.Out);
    }
}
