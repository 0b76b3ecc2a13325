namespace StoFunctions.Cli;

/// <summary>The process exit codes of <c>sto</c> (scripts branch on them).</summary>
public static class ExitCodes
{
    /// <summary>The request succeeded (a command: it completed).</summary>
    public const int Ok = 0;

    /// <summary>A command failed, did not finish within <c>--timeout</c>, or the API could not be reached or failed (5xx).</summary>
    public const int Failed = 1;

    /// <summary>Bad input: options, files or configuration, or the API refused the request with a 4xx (its problem details are printed).</summary>
    public const int BadInput = 2;

    /// <summary>Interrupted (Ctrl-C) while waiting; the command goes on in the service (<c>sto command wait ID</c>).</summary>
    public const int Interrupted = 130;
}
