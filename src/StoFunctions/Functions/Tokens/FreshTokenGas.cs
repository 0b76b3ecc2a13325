using StoFunctions.Functions.Commands;

namespace StoFunctions.Functions.Tokens;

/// <summary>
/// Gas limits of the calls an <c>issue</c> command makes to the token it deploys. They cannot be estimated:
/// <c>eth_estimateGas</c> runs against mined state, and the token does not exist before its deployment is mined
/// (a state override would have to re-create the constructor's storage). A freshly deployed token's state is
/// fixed, though, so each call's cost is known: these are the costs measured on anvil 1.7.1 with the embedded
/// artifacts (rounded up), plus the margin of <see cref="GasLimits.WithMargin"/> (20 % and the business-key tag).
/// <c>FreshTokenGasTests</c> issues a token with every option and the longest url and compares each limit with
/// <c>eth_estimateGas</c> of the same call at the state it was mined on, so a contract change that makes one of
/// them cost more fails that test instead of a customer's issue.
/// </summary>
public static class FreshTokenGas
{
    /// <summary>Measured cost of <c>setGlobalRestriction</c> (the KYC rule): 209,442 with the token as registry, 173,148 with an external one.</summary>
    public const ulong SetGlobalRestrictionMeasured = 215_000;

    /// <summary>Measured cost of <c>setKycRestrictionKey</c>: 32,475 with the token as registry, 49,575 with an external one.</summary>
    public const ulong SetKycRestrictionKeyMeasured = 52_000;

    /// <summary>Measured cost of <c>setAddressRestriction</c> for the issuer (one new account word): 54,163.</summary>
    public const ulong SetAddressRestrictionMeasured = 57_000;

    /// <summary>Measured cost of the first <c>mint</c> to the issuer (new balance and supply slots, the KYC check): 81,621.</summary>
    public const ulong MintMeasured = 85_000;

    /// <summary>Extra cost of the mint when the KYC values are read from an external registry (a cold call): 89,518 in all.</summary>
    public const ulong RegistryReadMeasured = 8_000;

    /// <summary>Measured cost of <c>setTokenInformation</c> besides the url's words: 52,713 for a 12-byte url (stored in its length slot).</summary>
    public const ulong SetTokenInformationBaseMeasured = 60_000;

    /// <summary>
    /// Cost per 32-byte word of the url (a new slot: 20,000 + cold access 2,100, and 32 bytes of calldata):
    /// 419,417 for the longest url (500 bytes, 16 words), ~22,930 a word.
    /// </summary>
    public const ulong PerUrlWordMeasured = 23_000;

    private const ulong BlockFloor = 30_000_000;

    /// <summary>The limit of <c>setGlobalRestriction</c>.</summary>
    public static ulong SetGlobalRestriction => Limit(SetGlobalRestrictionMeasured);

    /// <summary>The limit of <c>setKycRestrictionKey</c>.</summary>
    public static ulong SetKycRestrictionKey => Limit(SetKycRestrictionKeyMeasured);

    /// <summary>The limit of <c>setAddressRestriction</c>.</summary>
    public static ulong SetAddressRestriction => Limit(SetAddressRestrictionMeasured);

    /// <summary>The limit of the mint to the issuer.</summary>
    public static ulong Mint(bool externalRegistry) => Limit(MintMeasured + (externalRegistry ? RegistryReadMeasured : 0));

    /// <summary>The limit of <c>setTokenInformation(url, "")</c> for a url of <paramref name="urlBytes"/> UTF-8 bytes.</summary>
    public static ulong SetTokenInformation(int urlBytes) =>
        Limit(SetTokenInformationBaseMeasured + ((((ulong)urlBytes + 31) / 32) * PerUrlWordMeasured));

    // These bounds are far below any block gas limit, so the cap of WithMargin never applies.
    private static ulong Limit(ulong measured) => GasLimits.WithMargin(measured, BlockFloor);
}
