namespace StoFunctions.Ethereum.Abi;

/// <summary>
/// A Solidity ABI type, signature, JSON ABI, value or encoding was malformed or did not match its type. The
/// message says what was wrong, where (<see cref="Path"/> of the parameter and <see cref="Position"/> as a
/// character or byte offset) and how to fix it.
/// </summary>
public sealed class AbiException : Exception
{
    /// <summary>Creates an exception with a complete message and no location.</summary>
    public AbiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a complete message and an inner cause.</summary>
    public AbiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception located at a parameter path and an offset.</summary>
    /// <param name="message">What was wrong and how to fix it.</param>
    /// <param name="path">The parameter path such as <c>args[1].amounts[3]</c>, or null.</param>
    /// <param name="position">The byte offset into the encoding (or character offset into a signature), or -1.</param>
    public AbiException(string message, string? path, int position)
        : base(Locate(message, path, position))
    {
        Problem = message;
        Path = path;
        Position = position;
    }

    /// <summary>The parameter path the problem was found at (e.g. <c>args[1].amounts[3]</c>), if known.</summary>
    public string? Path { get; }

    /// <summary>Byte offset into the encoding, or character offset into the parsed text; -1 when unknown.</summary>
    public int Position { get; } = -1;

    /// <summary>The message without the location suffix.</summary>
    internal string? Problem { get; }

    /// <summary>The same problem, located one level further out: <paramref name="segment"/> is the name or
    /// <c>[index]</c> of the enclosing parameter. Nested encoders add segments while the exception unwinds, so
    /// the happy path pays nothing for paths.</summary>
    internal AbiException Under(string segment)
    {
        if (Problem is null)
        {
            return this;
        }

        string path = Path is null ? segment : Path.StartsWith('[') ? segment + Path : segment + "." + Path;
        return new AbiException(Problem, path, Position);
    }

    private static string Locate(string message, string? path, int position)
    {
        if (path is null && position < 0)
        {
            return message;
        }

        string where = (path, position) switch
        {
            (not null, >= 0) => $"at {path} (offset {position})",
            (not null, _) => $"at {path}",
            _ => $"at offset {position}",
        };
        return $"{message} [{where}]";
    }
}
