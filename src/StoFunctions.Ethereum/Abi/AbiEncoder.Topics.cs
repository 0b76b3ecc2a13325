using System.Collections;

namespace StoFunctions.Ethereum.Abi;

/// <summary>Preimages of indexed event arguments.</summary>
internal static partial class AbiEncoder
{
    /// <summary>
    /// The in-place encoding Solidity hashes for an indexed dynamic event argument: every element padded to
    /// 32 bytes, no offsets and no length words (https://docs.soliditylang.org/en/latest/abi-spec.html#encoding-of-indexed-event-parameters).
    /// </summary>
    public static void WriteTopicPreimage(AbiType type, object? value, List<byte> output)
    {
        switch (type.Kind)
        {
            case AbiTypeKind.Bytes:
                {
                    ReadOnlySpan<byte> bytes = AsBytes(type, value);
                    AppendPadded(output, bytes);
                    return;
                }

            case AbiTypeKind.String:
                AppendPadded(output, s_utf8.GetBytes(AsString(value)));
                return;
            case AbiTypeKind.Array:
                {
                    IList items = AsList(type, value);
                    for (int i = 0; i < items.Count; i++)
                    {
                        try
                        {
                            WriteTopicPreimage(type.ElementType!, items[i], output);
                        }
                        catch (AbiException e)
                        {
                            throw e.Under(Index(i));
                        }
                    }

                    return;
                }

            case AbiTypeKind.Tuple:
                {
                    object?[] items = AsTuple(type, value);
                    for (int i = 0; i < items.Length; i++)
                    {
                        try
                        {
                            WriteTopicPreimage(type.Components[i].Type, items[i], output);
                        }
                        catch (AbiException e)
                        {
                            throw e.Under(Segment(type.Components[i], i));
                        }
                    }

                    return;
                }

            default:
                {
                    Span<byte> word = stackalloc byte[32];
                    WriteValue(type, value, word);
                    foreach (byte b in word)
                    {
                        output.Add(b);
                    }

                    return;
                }
        }
    }

    private static void AppendPadded(List<byte> output, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            output.Add(b);
        }

        for (int i = bytes.Length; i < Padded(bytes.Length); i++)
        {
            output.Add(0);
        }
    }
}
