namespace StoFunctions.Ethereum.Abi;

/// <summary>
/// Decoded revert data of a failed call: a <c>Error(string)</c> message, a <c>Panic(uint256)</c> code with its
/// meaning, a known custom error with its arguments, or unknown bytes. Decoding never throws, because revert data
/// comes from arbitrary contracts and a broken one must still be reportable.
/// </summary>
public sealed class RevertReason
{
    private RevertReason(RevertKind kind, byte[] data, string? message, UInt256? panicCode, AbiError? error, IReadOnlyList<object> arguments)
    {
        Kind = kind;
        Data = data;
        Message = message;
        PanicCode = panicCode;
        Error = error;
        Arguments = arguments;
    }

    /// <summary>What kind of revert this is.</summary>
    public RevertKind Kind { get; }

    /// <summary>The raw revert data.</summary>
    public IReadOnlyList<byte> Data { get; }

    /// <summary>The message of an <c>Error(string)</c> revert; for a panic, the meaning of its code.</summary>
    public string? Message { get; }

    /// <summary>The code of a <c>Panic(uint256)</c> revert.</summary>
    public UInt256? PanicCode { get; }

    /// <summary>The matched error (<see cref="AbiError.ErrorString"/>, <see cref="AbiError.Panic"/> or a custom error).</summary>
    public AbiError? Error { get; }

    /// <summary>The decoded arguments of the matched error (empty otherwise).</summary>
    public IReadOnlyList<object> Arguments { get; }

    /// <summary>
    /// Decodes revert data. <c>Error(string)</c> and <c>Panic(uint256)</c> are always known; custom errors are matched
    /// by selector against <paramref name="knownErrors"/>.
    /// </summary>
    public static RevertReason Decode(ReadOnlySpan<byte> data, IEnumerable<AbiError>? knownErrors = null)
    {
        byte[] raw = data.ToArray();
        if (data.IsEmpty)
        {
            return new RevertReason(RevertKind.Empty, raw, null, null, null, []);
        }

        try
        {
            if (AbiError.ErrorString.Matches(data))
            {
                object[] args = AbiError.ErrorString.Decode(data);
                return new RevertReason(RevertKind.Error, raw, (string)args[0], null, AbiError.ErrorString, args);
            }

            if (AbiError.Panic.Matches(data))
            {
                object[] args = AbiError.Panic.Decode(data);
                var code = (UInt256)args[0];
                return new RevertReason(RevertKind.Panic, raw, DescribePanic(code), code, AbiError.Panic, args);
            }

            foreach (AbiError error in knownErrors ?? [])
            {
                if (error.Matches(data))
                {
                    return new RevertReason(RevertKind.Custom, raw, null, null, error, error.Decode(data));
                }
            }
        }
        catch (AbiException e)
        {
            return new RevertReason(RevertKind.Unknown, raw, "malformed revert data: " + e.Message, null, null, []);
        }

        return new RevertReason(RevertKind.Unknown, raw, null, null, null, []);
    }

    /// <summary>
    /// The meaning of a Solidity panic code (https://docs.soliditylang.org/en/latest/control-structures.html#panic-via-assert-and-error-via-require).
    /// </summary>
    public static string DescribePanic(UInt256 code) => code.FitsInUInt64 ? (ulong)code switch
    {
        0x00 => "generic compiler-inserted panic",
        0x01 => "assert(false) or a failed assertion",
        0x11 => "arithmetic overflow or underflow outside an unchecked block",
        0x12 => "division or modulo by zero",
        0x21 => "conversion of a value too big or negative into an enum",
        0x22 => "access to an incorrectly encoded storage byte array",
        0x31 => "pop() on an empty array",
        0x32 => "array index out of bounds",
        0x41 => "too much memory allocated or an array too large",
        0x51 => "call of a zero-initialised internal function variable",
        _ => "unknown panic code",
    } : "unknown panic code";

    /// <summary>A one-line description, e.g. <c>Error("not owner")</c>, <c>Panic(0x11: arithmetic overflow …)</c> or <c>TooLarge(5, 3)</c>.</summary>
    public override string ToString() => Kind switch
    {
        RevertKind.Empty => "revert without data",
        RevertKind.Error => $"Error(\"{Message}\")",
        RevertKind.Panic => $"Panic(0x{PanicCode!.Value.ToHexQuantity()[2..]}: {Message})",
        RevertKind.Custom => Error!.Name + "(" + string.Join(", ", Arguments.Select(AbiValueText.Format)) + ")",
        _ => $"unknown revert data {Hex.Encode(Data.ToArray())}" + (Message is null ? string.Empty : $" ({Message})"),
    };
}
