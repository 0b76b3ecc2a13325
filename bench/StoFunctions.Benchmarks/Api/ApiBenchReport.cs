using System.Globalization;
using StoFunctions.Azure.Storage;

namespace StoFunctions.Benchmarks.Api;

/// <summary>
/// Every figure of one <see cref="ApiBench"/> run (one sample per repetition under a key such as <c>floorA</c> or
/// <c>this.json.total</c>), how many commands were submitted and reached <c>Completed</c>, the load average at
/// start and end, and notes; <see cref="Print"/> writes the table with medians, ratios and the goals of issue 20.
/// </summary>
public sealed class ApiBenchReport
{
    private readonly Dictionary<string, List<double>> _samples = new(StringComparer.Ordinal);

    /// <summary>The options the run used.</summary>
    public required ApiBenchOptions Options { get; init; }

    /// <summary><c>/proc/loadavg</c> when the run began.</summary>
    public string LoadAtStart { get; set; } = "";

    /// <summary><c>/proc/loadavg</c> when the run ended.</summary>
    public string LoadAtEnd { get; set; } = "";

    /// <summary>Commands the run submitted through the API (issues, distributions, transfers, scans).</summary>
    public int CommandsSubmitted { get; set; }

    /// <summary>Of those, how many were seen <c>Completed</c> (the run fails on any <c>Failed</c> or timeout).</summary>
    public int CommandsCompleted { get; set; }

    /// <summary>Scenarios that failed in some rep (their figure is missing from that rep), with the reason.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Lines printed under the table (stalls, how events were made, …).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Every key with its samples, in the order they were first added.</summary>
    public IReadOnlyDictionary<string, List<double>> Samples => _samples;

    /// <summary>Records one repetition's value of <paramref name="key"/>.</summary>
    public void Add(string key, double value)
    {
        if (!_samples.TryGetValue(key, out List<double>? list))
        {
            _samples[key] = list = [];
        }

        list.Add(value);
    }

    /// <summary>The median of <paramref name="key"/>'s samples, NaN when it has none.</summary>
    public double Median(string key)
    {
        if (!_samples.TryGetValue(key, out List<double>? list) || list.Count == 0)
        {
            return double.NaN;
        }

        double[] sorted = [.. list.Order()];
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Writes the table: every measure's median, its reps, tx/s where it is a transaction count, its ratio to its floor and the goal.</summary>
    public void Print(TextWriter output)
    {
        ApiBenchOptions o = Options;
        double floorA = Median("floorA");
        double floorA1000 = Median("floorA.transfers");
        output.WriteLine();
        output.WriteLine($"load average at start: {LoadAtStart}; at end: {LoadAtEnd}");
        output.WriteLine($"medians of {o.Reps} rep(s); each scenario on a fresh anvil (automine) and a fresh Azurite; the host a separate process driven over HTTP, "
            + (o.Warmup > 0 ? $"warmed up with {o.Warmup} single transfers before the clock" : "measured as it comes up (no --warmup)"));
        output.WriteLine($"| {"measure",-68} | {"median",9} | {"tx/s",7} | {"vs floor",8} | {"goal",-28} | {"",4} | reps");
        output.WriteLine($"|{new string('-', 70)}|{new string('-', 11)}|{new string('-', 9)}|{new string('-', 10)}|{new string('-', 30)}|{new string('-', 6)}|-----");
        Row($"floor A: {o.Rows} pre-signed, JSON-RPC batches of 100{(o.FloorWindow > 0 ? $", <= {o.FloorWindow} unmined" : "")}", "floorA", o.Rows, null, null, "");
        Row($"floor A: {o.Transfers} pre-signed, JSON-RPC batches of 100{(o.FloorWindow > 0 ? $", <= {o.FloorWindow} unmined" : "")}", "floorA.transfers", o.Transfers, null, null, "");
        Row($"  reference: issue 20's minimal Node client (fetch, 50 ms polls)", "minimal", o.Rows, floorA, Goal(v => floorA <= v, "floor A at least as fast"), "");
        Row($"floor B: {o.Rows} pre-signed, one request per transaction", "floorB", o.Rows, floorA, null, "");
        Row($"peer: ethers v6 NonceManager, {o.Rows} transfers", "peer", o.Rows, floorA, null, "");
        foreach (string host in HostLabels())
        {
            Row($"[{host}] {o.Rows}-row distribution JSON, POST (202)", $"{host}.json.post", 0, null, Goal(v => v <= 1.0, "<= 1 s"), "s");
            Row($"[{host}] {o.Rows}-row distribution JSON, POST -> all mined", $"{host}.json.mined", o.Rows, floorA, null, "");
            Row($"[{host}] {o.Rows}-row distribution JSON, POST -> Completed", $"{host}.json.total", o.Rows, floorA, Goal(v => v / floorA <= 1.5, "<= 1.5x floor A"), "");
            Row($"[{host}] {o.Rows}-row distribution text/csv, POST (202)", $"{host}.csv.post", 0, null, Goal(v => v <= 1.0, "<= 1 s"), "s");
            Row($"[{host}] {o.Rows}-row distribution text/csv, POST -> all mined", $"{host}.csv.mined", o.Rows, floorA, null, "");
            Row($"[{host}] {o.Rows}-row distribution text/csv, POST -> Completed", $"{host}.csv.total", o.Rows, floorA, Goal(v => v / floorA <= 1.5, "<= 1.5x floor A"), "");
            Row($"[{host}] {o.Transfers} single transfers, {o.Clients} clients: accepted/s", $"{host}.transfers.accepted", 0, null, Goal(v => v >= 200, ">= 200 accepted/s"), "/s");
            Row($"[{host}] {o.Transfers} single transfers: first POST -> all Completed", $"{host}.transfers.total", o.Transfers, floorA1000, Goal(v => v / floorA1000 <= 2, $"<= 2x floor A ({o.Transfers})"), "");
        }

        foreach (string host in HostLabels())
        {
            foreach ((string scenario, string label) in new[] { ("json", $"{o.Rows}-row distribution JSON"), ("csv", $"{o.Rows}-row distribution text/csv"), ("large", $"{o.LargeRows}-row distribution JSON"), ("transfers", "single transfer") })
            {
                if (!_samples.ContainsKey($"{host}.{scenario}.cpu.host"))
                {
                    continue;
                }

                (string parts, double all) = CpuParts($"{host}.{scenario}.cpu", "F2");
                string busy = scenario == "transfers" ? string.Create(CultureInfo.InvariantCulture, $"; cores busy while accepting: {Median($"{host}.transfers.cpu.busy"):F2}") : "";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  [{host}] CPU per transaction, {label}, POST -> Completed: {parts}, i.e. at most {Environment.ProcessorCount * 1000 / all:F0}/s on {Environment.ProcessorCount} cores{busy}"));
            }
        }

        if (!double.IsNaN(Median("this.least.cpu.answer.host")))
        {
            // A lower bound, not a measure of the pipeline: every single transfer is at least a POST answered, one
            // durable write, one transaction mined and one status read; on shared cores their CPU adds up whatever
            // runs them.
            double client = Median("this.least.cpu.answer.client"), host = Median("this.least.cpu.answer.host"), node = Median("floorA.transfers.cpu.anvil");
            double insert = Median("this.least.cpu.insert.azurite"), batched = Median("this.least.cpu.batched.azurite"), read = Median("this.least.cpu.read.azurite");
            double budget = Environment.ProcessorCount * 2 * floorA1000 * 1000 / o.Transfers;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  least CPU per single transfer here, whatever the pipeline: client {client:F2} ms (a POST and its answer) + host {host:F2} ms (answering a malformed POST) + anvil {node:F2} ms (floor A's per transaction) + Azurite {insert:F2} ms (one entity stored; {batched:F2} ms in a batch of {StorageLimits.MaxTransactionActions}) + {read:F2} ms (one entity read) = {client + host + node + insert + read:F2} ms, {client + host + node + batched + read:F2} ms with the batch. All {o.Transfers} Completed within 2x floor A leaves {budget:F2} ms per transfer on {Environment.ProcessorCount} cores"));
        }

        if (o.LargeRows > 0)
        {
            Row($"[this] {o.LargeRows}-row distribution JSON, POST (202) per row", "this.large.postPerRow", 0, null, Goal(v => v <= 0.5, "<= 0.5 ms per row"), "ms");
            Row($"[this] {o.LargeRows}-row distribution JSON, POST -> Completed", "this.large.total", o.LargeRows, null, null, "");
        }

        if (o.Baseline is not null)
        {
            output.WriteLine();
            output.WriteLine($"this host vs baseline ({o.Baseline.Dll}), medians; goal: no slower (<= 1.00x)");
            foreach ((string key, string label, bool higherIsBetter) in new[]
            {
                ("json.post", "distribution JSON, POST (202)", false), ("json.mined", "distribution JSON, POST -> all mined", false),
                ("json.total", "distribution JSON, POST -> Completed", false),
                ("csv.post", "distribution text/csv, POST (202)", false), ("csv.mined", "distribution text/csv, POST -> all mined", false),
                ("csv.total", "distribution text/csv, POST -> Completed", false),
                ("transfers.accepted", "single transfers accepted/s", true), ("transfers.total", "single transfers, all Completed", false),
            })
            {
                double mine = Median("this." + key), theirs = Median("baseline." + key);
                double ratio = higherIsBetter ? theirs / mine : mine / theirs;
                string F(double v) => higherIsBetter ? v.ToString("F0", CultureInfo.InvariantCulture) + " /s" : Format(v);
                output.WriteLine($"  {label,-42} this {F(mine),9}  baseline {F(theirs),9}  this/baseline {ratio,6:F2}x {(key.EndsWith(".post", StringComparison.Ordinal) ? "(reference)" : ratio <= 1.0 ? "PASS" : "FAIL")}");
            }
        }

        output.WriteLine();
        Row($"scan of {o.Events:N0} Transfer events: POST .../scans -> Completed", "scan", 0, Median("scan.floor"), Goal(v => v / Median("scan.floor") <= 1.3, "<= 1.3x floor"), "");
        Row("scan floor: eth_getLogs + raw entity-group batches, 4 ranges in flight", "scan.floor", 0, null, null, "");
        foreach ((string key, string label) in new[] { ("scan", "the scan"), ("scan.floor", "its floor") })
        {
            if (_samples.ContainsKey($"{key}.cpu.host"))
            {
                output.WriteLine($"  CPU per 1,000 events, {label}: {CpuParts($"{key}.cpu", "F0").Text}");
            }
        }

        // The floor is the faster way of reading the partition (one query, or 16 key ranges at once).
        double capFloor = Math.Min(Median("cap.partition"), Median("cap.ranges"));
        Row($"cap table first page of {o.Events:N0} holders: GET .../holders", "cap", 0, capFloor, Goal(v => v / capFloor <= 1.2, "<= 1.2x reading the partition"), "");
        Row("cap floor: the holder partition, one query (pages of 1,000)", "cap.partition", 0, null, null, "");
        Row("cap floor: the holder partition in 16 key ranges at once", "cap.ranges", 0, null, null, "");
        output.WriteLine($"commands submitted through the API: {CommandsSubmitted}, Completed: {CommandsCompleted}");
        foreach (string note in Notes)
        {
            output.WriteLine("note: " + note);
        }

        foreach (string failure in Failures)
        {
            output.WriteLine("FAILED: " + failure.Split('\n')[0]);
        }

        void Row(string label, string key, int transactions, double? floor, (Func<double, bool> Pass, string Text)? goal, string unit)
        {
            double v = Median(key);
            string rate = transactions > 0 ? (transactions / v).ToString("F0", CultureInfo.InvariantCulture) : "";
            string ratio = floor is double f && !double.IsNaN(f) ? (v / f).ToString("F2", CultureInfo.InvariantCulture) + "x" : "";
            string verdict = goal is { } g ? (double.IsNaN(v) ? "n/a" : g.Pass(v) ? "PASS" : "FAIL") : "";
            string value = unit switch
            {
                "/s" => v.ToString("F0", CultureInfo.InvariantCulture) + " /s",
                "ms" => double.IsNaN(v) ? "n/a" : v.ToString("F3", CultureInfo.InvariantCulture) + " ms",
                _ => Format(v),
            };
            string reps = _samples.TryGetValue(key, out List<double>? list) ? string.Join(", ", list.Select(x => unit switch
            {
                "/s" => x.ToString("F0", CultureInfo.InvariantCulture),
                "ms" => x.ToString("F3", CultureInfo.InvariantCulture),
                _ => x.ToString("F2", CultureInfo.InvariantCulture),
            })) : "";
            output.WriteLine($"| {label,-68} | {value,9} | {rate,7} | {ratio,8} | {goal?.Text ?? "",-28} | {verdict,-4} | {reps}");
        }
    }

    // The medians of prefix.host, .azurite, .anvil and .client in milliseconds, as "host … ms, … = total ms", and the total.
    private (string Text, double Total) CpuParts(string prefix, string format)
    {
        double host = Median($"{prefix}.host"), azurite = Median($"{prefix}.azurite"), anvil = Median($"{prefix}.anvil"), client = Median($"{prefix}.client");
        double total = host + azurite + anvil + client;
        string Ms(double v) => v.ToString(format, CultureInfo.InvariantCulture) + " ms";
        return ($"host {Ms(host)}, Azurite {Ms(azurite)}, anvil {Ms(anvil)}, client {Ms(client)} = {Ms(total)}", total);
    }

    private IEnumerable<string> HostLabels() => Options.Baseline is null ? ["this"] : ["this", "baseline"];

    private static (Func<double, bool>, string) Goal(Func<double, bool> pass, string text) => (pass, text);

    private static string Format(double seconds) => double.IsNaN(seconds) ? "n/a" : seconds.ToString("F2", CultureInfo.InvariantCulture) + " s";
}
