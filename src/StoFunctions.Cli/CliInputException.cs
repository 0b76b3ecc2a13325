namespace StoFunctions.Cli;

/// <summary>Input <c>sto</c> refuses before anything is sent (exit code 2): a missing setting, an unreadable file, a bad option value.</summary>
public sealed class CliInputException(string message) : Exception(message);
