using System.Globalization;

namespace StoFunctions.Ethereum.Abi;

/// <summary>
/// Recursive-descent parser for ABI type strings and human-readable signatures in the form ethers and
/// Solidity print them: <c>function transfer(address to, uint256 amount) external returns (bool)</c>,
/// <c>event Transfer(address indexed from, address indexed to, uint256 value)</c>, <c>error TooLarge(uint256,uint256)</c>.
/// Every error names the problem, the character offset and the text.
/// </summary>
internal sealed class AbiTextParser
{
    private readonly string _text;
    private readonly AbiType? _tupleBase;
    private int _pos;

    private AbiTextParser(string text, AbiType? tupleBase = null)
    {
        _text = text;
        _tupleBase = tupleBase;
    }

    private bool AtEnd => _pos >= _text.Length;

    private char Peek => _pos < _text.Length ? _text[_pos] : '\0';

    /// <summary>Parses a type; a bare <c>tuple</c> (as JSON ABI writes <c>tuple[2][]</c>) stands for <paramref name="tupleBase"/>.</summary>
    public static AbiType ParseType(string text, AbiType? tupleBase = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new AbiTextParser(text, tupleBase);
        parser.SkipWhitespace();
        AbiType type = parser.ReadType();
        parser.SkipWhitespace();
        if (!parser.AtEnd)
        {
            throw parser.Error($"unexpected '{parser.Peek}' after the type '{type.CanonicalName}'", parser._pos);
        }

        return type;
    }

    public static AbiSignature ParseSignature(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new AbiTextParser(text);
        return parser.ReadSignature();
    }

    private AbiSignature ReadSignature()
    {
        SkipWhitespace();
        if (AtEnd)
        {
            throw Error("the signature is empty; expected e.g. 'function transfer(address to, uint256 amount)'", 0);
        }

        int start = _pos;
        string word = ReadIdentifier("a signature keyword or name");
        AbiMemberKind kind;
        string name;
        switch (word)
        {
            case "function":
                kind = AbiMemberKind.Function;
                SkipWhitespace();
                name = ReadIdentifier("the function name");
                break;
            case "event":
                kind = AbiMemberKind.Event;
                SkipWhitespace();
                name = ReadIdentifier("the event name");
                break;
            case "error":
                kind = AbiMemberKind.Error;
                SkipWhitespace();
                name = ReadIdentifier("the error name");
                break;
            case "constructor":
                kind = AbiMemberKind.Constructor;
                name = string.Empty;
                break;
            case "fallback" or "receive":
                throw Error($"'{word}' has no parameters to encode and cannot be called by selector; leave it out", start);
            default:
                // A bare 'transfer(address,uint256)' is a function, as ethers and 4byte directories write it.
                kind = AbiMemberKind.Function;
                name = word;
                break;
        }

        SkipWhitespace();
        IReadOnlyList<AbiParameter> inputs = ReadParameterList(allowIndexed: kind == AbiMemberKind.Event, $"the parameter list of '{name}'");
        IReadOnlyList<AbiParameter> outputs = [];
        StateMutability mutability = StateMutability.NonPayable;
        bool mutabilitySeen = false;
        bool returnsSeen = false;
        bool anonymous = false;
        while (true)
        {
            SkipWhitespace();
            if (AtEnd)
            {
                break;
            }

            int at = _pos;
            string modifier = ReadIdentifier("a modifier such as 'view' or 'returns', or the end of the signature");
            switch (modifier)
            {
                case "view" or "pure" or "payable" or "nonpayable" when kind is AbiMemberKind.Function or AbiMemberKind.Constructor:
                    if (mutabilitySeen)
                    {
                        throw Error($"a second state mutability '{modifier}'", at);
                    }

                    mutabilitySeen = true;
                    mutability = modifier switch
                    {
                        "view" => StateMutability.View,
                        "pure" => StateMutability.Pure,
                        "payable" => StateMutability.Payable,
                        _ => StateMutability.NonPayable,
                    };
                    break;
                case "external" or "public" when kind == AbiMemberKind.Function:
                    break;
                case "anonymous" when kind == AbiMemberKind.Event && !anonymous:
                    anonymous = true;
                    break;
                case "returns" when kind == AbiMemberKind.Function && !returnsSeen:
                    returnsSeen = true;
                    SkipWhitespace();
                    outputs = ReadParameterList(allowIndexed: false, $"the return list of '{name}'");
                    break;
                default:
                    throw Error($"unexpected '{modifier}' after the parameter list of a {kind.ToString().ToLowerInvariant()}", at);
            }
        }

        return new AbiSignature(kind, name, inputs, outputs, mutability, anonymous);
    }

    private List<AbiParameter> ReadParameterList(bool allowIndexed, string what)
    {
        if (Peek != '(')
        {
            throw Error(AtEnd ? $"the text ends where {what} should start with '('" : $"expected '(' to start {what} but found '{Peek}'", _pos);
        }

        int open = _pos;
        _pos++;
        var parameters = new List<AbiParameter>();
        SkipWhitespace();
        if (Peek == ')')
        {
            _pos++;
            return parameters;
        }

        while (true)
        {
            parameters.Add(ReadParameter(allowIndexed));
            SkipWhitespace();
            if (Peek == ',')
            {
                _pos++;
                SkipWhitespace();
                continue;
            }

            if (Peek == ')')
            {
                _pos++;
                return parameters;
            }

            throw Error(AtEnd ? $"the text ends inside {what} opened at offset {open}; add ')'" : $"expected ',' or ')' in {what} but found '{Peek}'", _pos);
        }
    }

    private AbiParameter ReadParameter(bool allowIndexed)
    {
        AbiType type = ReadType();
        bool indexed = false;
        string name = string.Empty;
        while (true)
        {
            int save = _pos;
            SkipWhitespace();
            if (!IsIdentifierStart(Peek))
            {
                _pos = save;
                break;
            }

            int at = _pos;
            string word = ReadIdentifier("a parameter name");
            if (name.Length > 0)
            {
                throw Error($"unexpected '{word}' after the parameter name '{name}'; separate parameters with ','", at);
            }

            switch (word)
            {
                case "indexed":
                    if (!allowIndexed)
                    {
                        throw Error("'indexed' is only allowed on event parameters", at);
                    }

                    if (indexed)
                    {
                        throw Error("'indexed' appears twice", at);
                    }

                    indexed = true;
                    break;
                case "memory" or "calldata" or "storage":
                    // Data locations appear in Solidity-style signatures and do not change the ABI type.
                    break;
                case "payable" when type.Kind == AbiTypeKind.Address && !indexed:
                    // 'address payable' is an address in the ABI.
                    break;
                default:
                    name = word;
                    break;
            }
        }

        return new AbiParameter(name, type, indexed);
    }

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

    private string ReadIdentifier(string what)
    {
        if (!IsIdentifierStart(Peek))
        {
            throw Error(AtEnd ? $"the text ends where {what} was expected" : $"expected {what} but found '{Peek}'", _pos);
        }

        int start = _pos;
        while (IsIdentifierPart(Peek))
        {
            _pos++;
        }

        return _text[start.._pos];
    }

    private void SkipWhitespace()
    {
        while (!AtEnd && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c is '_' or '$';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$';

    private AbiException Error(string problem, int position) =>
        new($"Invalid ABI text \"{_text}\": {problem}.", null, position);
}
