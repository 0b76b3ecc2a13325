namespace StoFunctions.Azure.KeyVault;

/// <summary>
/// The Bearer challenge of a Key Vault 401: <c>WWW-Authenticate: Bearer authorization="https://login.microsoftonline.com/{tenant}",
/// resource="https://vault.azure.net"</c> (or <c>authorization_uri</c>, or <c>scope</c> instead of <c>resource</c>).
/// Azure.Core's parser is internal (research/azure.md §0), so this is a small RFC 7235 auth-param reader.
/// </summary>
internal sealed record KeyVaultChallenge(string Scope, string? TenantId)
{
    /// <summary>Reads the Bearer challenge out of a <c>WWW-Authenticate</c> value; null when it has none or names no resource/scope.</summary>
    public static KeyVaultChallenge? Parse(string header)
    {
        Dictionary<string, string>? bearer = null;
        Dictionary<string, string>? current = null;
        int i = 0;
        while (i < header.Length)
        {
            SkipSeparators(header, ref i);
            string token = ReadToken(header, ref i);
            if (token.Length == 0)
            {
                // Not a valid token character; skip it rather than loop forever on malformed input.
                i++;
                continue;
            }

            SkipWhitespace(header, ref i);
            if (i < header.Length && header[i] == '=')
            {
                i++;
                SkipWhitespace(header, ref i);
                string value = i < header.Length && header[i] == '"' ? ReadQuoted(header, ref i) : ReadToken(header, ref i);
                current?.TryAdd(token, value);
            }
            else
            {
                // A token without '=' starts a new challenge (scheme); only the Bearer one is ours.
                current = string.Equals(token, "Bearer", StringComparison.OrdinalIgnoreCase) && bearer is null
                    ? (bearer = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase))
                    : null;
            }
        }

        if (bearer is null)
        {
            return null;
        }

        string? scope = bearer.TryGetValue("resource", out string? resource) && resource.Length > 0
            ? resource.TrimEnd('/') + "/.default"
            : bearer.GetValueOrDefault("scope");
        if (string.IsNullOrEmpty(scope))
        {
            return null;
        }

        string? authorization = bearer.GetValueOrDefault("authorization") ?? bearer.GetValueOrDefault("authorization_uri");
        string? tenant = null;
        if (authorization is not null && Uri.TryCreate(authorization, UriKind.Absolute, out Uri? authority))
        {
            tenant = authority.AbsolutePath.Trim('/').Split('/')[0] is { Length: > 0 } first ? first : null;
        }

        return new KeyVaultChallenge(scope, tenant);
    }

    private static void SkipSeparators(string s, ref int i)
    {
        while (i < s.Length && (s[i] == ',' || char.IsWhiteSpace(s[i])))
        {
            i++;
        }
    }

    private static void SkipWhitespace(string s, ref int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }
    }

    private static string ReadToken(string s, ref int i)
    {
        int start = i;
        while (i < s.Length && s[i] != '=' && s[i] != ',' && s[i] != '"' && !char.IsWhiteSpace(s[i]))
        {
            i++;
        }

        return s[start..i];
    }

    private static string ReadQuoted(string s, ref int i)
    {
        var value = new System.Text.StringBuilder();
        for (i++; i < s.Length && s[i] != '"'; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                i++;
            }

            value.Append(s[i]);
        }

        i++;
        return value.ToString();
    }
}
