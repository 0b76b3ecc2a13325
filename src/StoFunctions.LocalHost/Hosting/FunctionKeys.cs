using Microsoft.Azure.Functions.Worker;
using System.Security.Cryptography;
using System.Text;

namespace StoFunctions.Hosting;

/// <summary>
/// The configured function and admin keys, read from configuration on every check so a changed key
/// applies without a restart: <c>FunctionKeys:&lt;name&gt;</c> (function level) and <c>AdminKeys:&lt;name&gt;</c>
/// (admin level; satisfies function level too). In local.settings.json they are <c>Values</c> entries named
/// <c>FunctionKeys__default</c> and <c>AdminKeys__master</c>.
/// </summary>
public sealed class FunctionKeys(IConfiguration configuration)
{
    /// <summary>Configuration section of the function-level keys.</summary>
    public const string FunctionSection = "FunctionKeys";

    /// <summary>Configuration section of the admin-level keys.</summary>
    public const string AdminSection = "AdminKeys";

    /// <summary>True when at least one non-empty key is configured.</summary>
    public bool AnyConfigured => Keys(FunctionSection).Concat(Keys(AdminSection)).Any();

    /// <summary>
    /// The level and name of the key equal to <paramref name="presented"/>, or <c>null</c> when none is.
    /// Every configured key is compared, each in constant time over SHA-256 digests, so neither the
    /// position of the first differing byte nor the key's length shows in the timing.
    /// </summary>
    public (AuthorizationLevel Level, string Name)? Match(string presented)
    {
        byte[] candidate = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        (AuthorizationLevel Level, string Name)? match = null;
        foreach ((string name, string value) in Keys(AdminSection))
        {
            if (Equal(candidate, value) && match is null)
            {
                match = (AuthorizationLevel.Admin, name);
            }
        }

        foreach ((string name, string value) in Keys(FunctionSection))
        {
            if (Equal(candidate, value) && match is null)
            {
                match = (AuthorizationLevel.Function, name);
            }
        }

        return match;
    }

    private static bool Equal(byte[] candidateDigest, string key) =>
        CryptographicOperations.FixedTimeEquals(candidateDigest, SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private IEnumerable<(string Name, string Value)> Keys(string section) =>
        configuration.GetSection(section).GetChildren()
            .Where(c => !string.IsNullOrEmpty(c.Value))
            .Select(c => (c.Key, c.Value!));
}
