namespace StoFunctions.Cli.Api;

/// <summary>The API did not answer (connection refused, DNS, timeout): exit code 1 with the address and how to check it.</summary>
public sealed class ApiUnreachableException(string message, Exception inner) : Exception(message, inner);
