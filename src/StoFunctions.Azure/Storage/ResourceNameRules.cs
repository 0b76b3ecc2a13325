using System.Text.RegularExpressions;

namespace StoFunctions.Azure.Storage;

/// <summary>Naming rules shared by queues and containers: 3–63 lower-case letters, digits and single hyphens,
/// starting and ending with a letter or digit ("Naming queues and metadata", "Naming and referencing containers").</summary>
internal static partial class ResourceNameRules
{
    public static void Lowercase(string name, string kind, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        if (!Pattern().IsMatch(name) || name.Contains("--", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"{kind} name '{name}' is invalid: use 3–63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.",
                parameterName);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex Pattern();
}
