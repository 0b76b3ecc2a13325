using System.Globalization;

namespace StoFunctions.Ethereum.Abi;

/// <summary>Type grammar: elementary names, tuples and array suffixes.</summary>
internal sealed partial class AbiTextParser
{
    private AbiType ReadType()
    {
        SkipWhitespace();
        int start = _pos;
        AbiType type;
        if (Peek == '(')
        {
            type = AbiType.Tuple(ReadParameterList(allowIndexed: false, "a tuple"));
        }
        else
        {
            string word = ReadIdentifier("a type");
            if (word == "tuple" && _tupleBase is not null && Peek != '(')
            {
                type = _tupleBase;
            }
            else if (word == "tuple")
            {
                if (Peek != '(')
                {
                    throw Error("'tuple' must be followed directly by its components, e.g. 'tuple(uint256,address)'", _pos);
                }

                type = AbiType.Tuple(ReadParameterList(allowIndexed: false, "a tuple"));
            }
            else
            {
                type = Elementary(word, start);
            }
        }

        while (Peek == '[')
        {
            int open = _pos;
            _pos++;
            int digitsStart = _pos;
            while (char.IsAsciiDigit(Peek))
            {
                _pos++;
            }

            if (Peek != ']')
            {
                throw Error(AtEnd ? $"the text ends inside the array suffix opened at offset {open}; add ']'" : $"expected a length or ']' in the array suffix but found '{Peek}'", _pos);
            }

            ReadOnlySpan<char> digits = _text.AsSpan(digitsStart, _pos - digitsStart);
            _pos++;
            if (digits.IsEmpty)
            {
                type = AbiType.ArrayOf(type);
                continue;
            }

            if (digits.Length > 1 && digits[0] == '0')
            {
                throw Error($"the array length '{digits}' has a leading zero", digitsStart);
            }

            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length == 0)
            {
                throw Error($"the array length '{digits}' must be between 1 and {int.MaxValue}", digitsStart);
            }

            try
            {
                type = AbiType.ArrayOf(type, length);
            }
            catch (AbiException e)
            {
                throw Error(e.Message, open);
            }
        }

        return type;
    }

    private AbiType Elementary(string word, int start)
    {
        switch (word)
        {
            case "address":
                return AbiType.Address;
            case "bool":
                return AbiType.Bool;
            case "string":
                return AbiType.String;
            case "bytes":
                return AbiType.Bytes;
            case "uint":
                return AbiType.UInt256;
            case "int":
                return AbiType.Int256;
            case "byte":
                throw Error("'byte' was removed from Solidity; write 'bytes1'", start);
            case "function":
                throw Error("the 'function' type (address + selector) is not supported; use 'bytes24'", start);
        }

        if (word.StartsWith("fixed", StringComparison.Ordinal) || word.StartsWith("ufixed", StringComparison.Ordinal))
        {
            throw Error($"fixed-point type '{word}' is not supported (Solidity cannot use it either)", start);
        }

        (string prefix, AbiTypeKind kind) = word.StartsWith("uint", StringComparison.Ordinal) ? ("uint", AbiTypeKind.UInt)
            : word.StartsWith("int", StringComparison.Ordinal) ? ("int", AbiTypeKind.Int)
            : word.StartsWith("bytes", StringComparison.Ordinal) ? ("bytes", AbiTypeKind.FixedBytes)
            : (string.Empty, AbiTypeKind.Tuple);
        if (prefix.Length == 0)
        {
            throw Error($"unknown type '{word}'; expected uintN, intN, address, bool, bytesN, bytes, string, T[], T[k] or a tuple", start);
        }

        ReadOnlySpan<char> digits = word.AsSpan(prefix.Length);
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9') || digits[0] == '0' || digits.Length > 3)
        {
            throw Error($"unknown type '{word}'; the size after '{prefix}' must be a decimal number without leading zeros", start);
        }

        int size = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        if (kind == AbiTypeKind.FixedBytes)
        {
            return size is >= 1 and <= 32 ? AbiType.FixedBytes(size) : throw Error($"'{word}' is not a type: bytesN needs 1 <= N <= 32", start);
        }

        if (size is < 8 or > 256 || size % 8 != 0)
        {
            throw Error($"'{word}' is not a type: {prefix}N needs N to be a multiple of 8 from 8 to 256", start);
        }

        return kind == AbiTypeKind.UInt ? AbiType.UInt(size) : AbiType.Int(size);
    }
}
