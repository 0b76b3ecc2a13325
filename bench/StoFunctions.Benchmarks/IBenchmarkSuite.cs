namespace StoFunctions.Benchmarks;

/// <summary>
/// One benchmark suite: it measures our implementation and its baseline (ethers v6, a raw floor, a
/// sto-style loop, …) in the same run and prints both figures and their ratio. Suites are discovered by
/// reflection, so adding one is adding a file under <c>Suites/</c>.
/// </summary>
public interface IBenchmarkSuite
{
    /// <summary>Short name used on the command line (e.g. <c>ethereum</c>).</summary>
    string Name { get; }

    /// <summary>One line saying what is measured against what.</summary>
    string Description { get; }

    /// <summary>Runs the suite and prints its table.</summary>
    Task RunAsync(string[] args);
}
