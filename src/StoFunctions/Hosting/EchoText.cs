namespace StoFunctions.Hosting;

/// <summary>
/// Client input quoted back in an error message, cut to a bounded length: a 7 KB route segment echoed whole
/// makes the answer (and any log line quoting it) as large as the attack. The cut is marked with "…" and says
/// how long the value was, which is what the client needs to find it.
/// </summary>
public static class EchoText
{
    /// <summary>The most characters of a value quoted back.</summary>
    public const int MaxLength = 100;

    /// <summary><paramref name="value"/> itself when short, else its first <see cref="MaxLength"/> characters + "…".</summary>
    public static string Bounded(string? value)
    {
        if (value is null || value.Length <= MaxLength)
        {
            return value ?? "";
        }

        // Do not split a surrogate pair at the cut.
        int cut = char.IsHighSurrogate(value[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
        return value[..cut] + $"… ({value.Length} characters)";
    }
}
