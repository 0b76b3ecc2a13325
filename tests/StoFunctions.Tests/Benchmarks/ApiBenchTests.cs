extern alias bench;

using bench::StoFunctions.Benchmarks.Api;
using Xunit.Abstractions;

namespace StoFunctions.Tests.Benchmarks;

/// <summary>
/// <c>bench api</c>'s driver end to end with tiny numbers: the local host as its own process on fresh anvils and
/// Azurites, this build also standing in as the baseline (so the <c>--baseline-dir</c> path runs too). Asserts that
/// every scenario produced a figure and every command reached Completed; timings are not asserted.
/// </summary>
public sealed class ApiBenchTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TinyApiBench_WithThisBuildAsBaseline_GivesEveryFigure_AndEveryCommandCompletes()
    {
        // The plain build (--jit): publishing ReadyToRun twice would add a minute to the suite and measure nothing here.
        var options = new ApiBenchOptions { Rows = 5, LargeRows = 7, Transfers = 6, Clients = 3, Events = 1000, Reps = 1, Warmup = 2, ReadyToRun = false, Baseline = HostBuild.Current with { Label = "baseline" } };
        using var progress = new StringWriter();
        ApiBenchReport report;
        try
        {
            report = await ApiBench.RunAsync(options, progress);
        }
        finally
        {
            output.WriteLine(progress.ToString());
        }

        Assert.Empty(report.Failures);
        string[] perHost =
        [
            "json.post", "json.mined", "json.total", "csv.post", "csv.mined", "csv.total", "transfers.accepted", "transfers.total",
            "transfers.cpu.host", "transfers.cpu.azurite", "transfers.cpu.anvil", "transfers.cpu.client", "transfers.cpu.busy",
            .. new[] { "json", "csv" }.SelectMany(d => new[] { "host", "azurite", "anvil", "client" }.Select(p => $"{d}.cpu.{p}")),
        ];
        string[] expected =
        [
            "floorA", "floorA.transfers", "minimal", "floorB", "peer", "scan", "scan.floor", "cap", "cap.partition", "cap.ranges", "this.large.postPerRow", "this.large.total",
            "this.large.cpu.host", "this.large.cpu.azurite", "this.large.cpu.anvil", "this.large.cpu.client",
            "floorA.transfers.cpu.anvil", "floorA.transfers.cpu.client",
            .. new[] { "scan", "scan.floor" }.SelectMany(k => new[] { "host", "azurite", "anvil", "client" }.Select(p => $"{k}.cpu.{p}")),
            "this.least.cpu.answer.host", "this.least.cpu.answer.azurite", "this.least.cpu.answer.anvil", "this.least.cpu.answer.client",
            "this.least.cpu.insert.azurite", "this.least.cpu.batched.azurite", "this.least.cpu.read.azurite",
            .. perHost.Select(k => "this." + k), .. perHost.Select(k => "baseline." + k),
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), report.Samples.Keys.Order(StringComparer.Ordinal));
        // CPU is counted in ticks of 10 ms: six transfers may cost anvil (or Azurite) less than one.
        Assert.All(report.Samples, s => Assert.True(s.Value.Count == 1 && double.IsFinite(s.Value[0]) && (s.Value[0] > 0 || (s.Key.Contains(".cpu.", StringComparison.Ordinal) && s.Value[0] == 0)), $"{s.Key}: [{string.Join(", ", s.Value)}]"));
        Assert.True(report.Median("this.transfers.cpu.host") > 0 && report.Median("this.transfers.cpu.busy") > 0 && report.Median("this.json.cpu.host") > 0);

        // Per host: issue + JSON distribution, issue + CSV distribution, issue + 6 transfers, each stack with its 2
        // warm-up transfers; then issue + warm-up + the large distribution on this host, and one scan.
        Assert.Equal((2 * (2 + 2 + 1 + options.Transfers + (3 * options.Warmup))) + 2 + options.Warmup + 1, report.CommandsSubmitted);
        Assert.Equal(report.CommandsSubmitted, report.CommandsCompleted);

        using var table = new StringWriter();
        report.Print(table);
        output.WriteLine(table.ToString());
        Assert.Contains("least CPU per single transfer here", table.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("n/a", table.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", table.ToString(), StringComparison.Ordinal);
    }
}
