namespace StoFunctions.Testing.KeyVault;

/// <summary>
/// Fault-injection settings of a <see cref="TestKeyVaultServer"/>. They may be changed while the server runs;
/// each request reads them once. "Every Nth" counters are 0 for off and 1 for every request.
/// </summary>
public sealed class TestKeyVaultKnobs
{
    /// <summary>The least time from a request's arrival to its answer (an HSM round trip is ~10–30 ms in Azure); the server's own work counts toward it.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Every Nth authenticated request is answered 429 Throttled with <see cref="RetryAfterSeconds"/>.</summary>
    public int ThrottleEvery { get; set; }

    /// <summary>The <c>Retry-After</c> value (whole seconds, as Key Vault sends it) of a 429.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Return every signature with s in the upper half of the order (valid ECDSA, invalid in Ethereum per EIP-2).</summary>
    public bool HighS { get; set; }

    /// <summary>
    /// Every Nth signature has a zero top byte in r (odd occurrences) or in the low-S form of s (even ones).
    /// The value still travels as 64 bytes, as Key Vault sends it; the zero byte is what tests padding.
    /// </summary>
    public int ShortRsEvery { get; set; }

    /// <summary>Every Nth signature has one bit of s flipped: well-formed, but not a signature by this key.</summary>
    public int CorruptSignatureEvery { get; set; }

    /// <summary>Every Nth sign request is signed, counted, and then its connection is aborted before any response byte.</summary>
    public int DropSignResponseEvery { get; set; }

    /// <summary>The <c>resource</c> (or <c>scope</c>) the 401 challenge names. Key Vault sends <c>https://vault.azure.net</c>.</summary>
    public string ChallengeResource { get; set; } = "https://vault.azure.net";

    /// <summary>Send <c>scope="{resource}/.default"</c> instead of <c>resource="{resource}"</c> in the challenge.</summary>
    public bool ChallengeUsesScope { get; set; }

    /// <summary>The tenant named by the challenge's <c>authorization</c> URI.</summary>
    public string ChallengeTenant { get; set; } = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    /// <summary>
    /// When set, only this exact bearer token is accepted (others get 401 with the challenge, as an expired or
    /// wrong-audience token would); when null any non-empty bearer token is accepted.
    /// </summary>
    public string? RequiredBearerToken { get; set; }
}
