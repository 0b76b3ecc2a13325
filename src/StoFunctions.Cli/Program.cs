namespace StoFunctions.Cli;

/// <summary>The <c>sto</c> executable (a named class: a top-level <c>Program</c> would clash with the Function App's in the tests, which reference both).</summary>
public static class Program
{
    /// <summary>Runs <c>sto</c> on the real console; Ctrl-C cancels a wait (the command goes on in the service).</summary>
    public static Task<int> Main(string[] args) => StoCli.RunAsync(args, CliEnvironment.FromProcess());
}
