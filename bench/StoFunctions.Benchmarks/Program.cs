using System.Reflection;
using StoFunctions.Benchmarks;
using StoFunctions.Benchmarks.Suites;

// Each suite measures our code and its baseline in the same run and prints figures and ratios.
// Usage: dotnet run -c Release --project bench/StoFunctions.Benchmarks -- <suite|all> [suite options]
IBenchmarkSuite[] suites = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmarkSuite).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmarkSuite)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name, StringComparer.Ordinal)
    .ToArray();

if (args.FirstOrDefault() == KeyVaultSuite.ServeCommand)
{
    await KeyVaultSuite.ServeAsync(args.Skip(1).ToArray());
    return 0;
}

string? name = args.FirstOrDefault();
IBenchmarkSuite[] selected = name == "all" ? suites : suites.Where(s => s.Name == name).ToArray();
if (selected.Length == 0)
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/StoFunctions.Benchmarks -- <suite|all>");
    foreach (IBenchmarkSuite s in suites)
    {
        Console.Error.WriteLine($"  {s.Name,-12} {s.Description}");
    }

    return 2;
}

foreach (IBenchmarkSuite suite in selected)
{
    Console.WriteLine($"== {suite.Name}: {suite.Description}");
    await suite.RunAsync(args.Skip(1).ToArray());
}

// A suite that refuses its options sets the exit code (2) instead of throwing; returning 0 here hid it.
return Environment.ExitCode;
