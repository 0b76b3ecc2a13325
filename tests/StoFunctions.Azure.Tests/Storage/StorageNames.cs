namespace StoFunctions.Azure.Tests.Storage;

/// <summary>Unique resource names per test, so tests share one Azurite without interfering.</summary>
internal static class StorageNames
{
    public static string Table(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..20];

    public static string Lowercase(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..20];
}
