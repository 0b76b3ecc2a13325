using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StoFunctions.Hosting;

namespace StoFunctions.Functions.Commands;

/// <summary>
/// The one JSON reader of every intake (HTTP bodies, queue messages, identities). On top of RFC 8259 syntax it
/// refuses what the default parsers let through and that later fails or silently changes meaning: a member
/// named twice in one object (<c>{"amount":"1","amount":"500000"}</c> — RFC 8259 §4 leaves the meaning open,
/// <c>JsonNode</c> throws on first access and other readers keep the last value) and a string holding a lone
/// UTF-16 surrogate (<c>"\ud800"</c>, valid JSON escape syntax but no character, so it cannot be written back
/// as UTF-8). The error names the member by its path, e.g. <c>rows[2].amount</c>.
/// </summary>
public static class StrictJson
{
    /// <summary>The outcome of <see cref="Parse(ReadOnlySpan{byte})"/>.</summary>
    /// <param name="Node">The parsed value, or null when invalid (or the JSON literal null).</param>
    /// <param name="Field">The path of the offending member (<c>body</c> when it is not one member's fault).</param>
    /// <param name="Error">What is wrong and how to fix it; null when valid.</param>
    public readonly record struct Result(JsonNode? Node, string? Field, string? Error)
    {
        /// <summary>True when the text was valid.</summary>
        public bool Valid => Error is null;
    }

    /// <summary>Parses UTF-8 <paramref name="utf8"/> strictly.</summary>
    public static Result Parse(ReadOnlySpan<byte> utf8)
    {
        if (Check(utf8) is (string field, string error))
        {
            return new Result(null, field, error);
        }

        try
        {
            return new Result(JsonNode.Parse(utf8), null, null);
        }
        catch (JsonException e)
        {
            return new Result(null, "body", $"The body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>Parses <paramref name="text"/> strictly.</summary>
    public static Result Parse(string text) => Parse(Encoding.UTF8.GetBytes(text ?? ""));

    private static (string Field, string Error)? Check(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        // One frame per open container: the member names seen (objects) or the next index (arrays).
        var frames = new Stack<Frame>();
        string? member = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        string path = ValuePath(frames, member);
                        frames.Push(new Frame(path, reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null));
                        member = null;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.Pop();
                        Advance(frames);
                        break;
                    case JsonTokenType.PropertyName:
                        Frame frame = frames.Peek();
                        if (ReadString(ref reader) is not string name)
                        {
                            return (Join(frame.Path, "(member name)"), LoneSurrogate(Join(frame.Path, "(member name)")));
                        }

                        member = name;
                        if (!frame.Names!.Add(name))
                        {
                            string field = Join(frame.Path, name);
                            return (field, $"The member '{EchoText.Bounded(name)}' appears more than once in the same object ({EchoText.Bounded(field)}); send it once with the value you mean.");
                        }

                        break;
                    case JsonTokenType.String:
                        if (ReadString(ref reader) is null)
                        {
                            string field = ValuePath(frames, member);
                            return (field, LoneSurrogate(field));
                        }

                        Advance(frames);
                        member = null;
                        break;
                    default:
                        Advance(frames);
                        member = null;
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            return ("body", $"The body is not valid JSON: {e.Message}");
        }

        return null;
    }

    // A string token as .NET text, or null when it unescapes to a lone surrogate (which the reader either throws
    // on or lets through depending on where the escape sits, so both are checked).
    private static string? ReadString(ref Utf8JsonReader reader)
    {
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return null;
        }

        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return null;
            }
        }

        return text;
    }

    private static string LoneSurrogate(string field) =>
        $"{field} contains a lone UTF-16 surrogate escape (e.g. \\ud800 without its pair), which is not a character; send valid Unicode text.";

    private static string ValuePath(Stack<Frame> frames, string? member)
    {
        if (frames.Count == 0)
        {
            return "";
        }

        Frame frame = frames.Peek();
        return frame.Names is null ? frame.Path + "[" + frame.Index.ToString(CultureInfo.InvariantCulture) + "]" : Join(frame.Path, member ?? "");
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static void Advance(Stack<Frame> frames)
    {
        if (frames.Count > 0 && frames.Peek().Names is null)
        {
            frames.Peek().Index++;
        }
    }

    private sealed class Frame(string path, HashSet<string>? names)
    {
        public string Path { get; } = path;

        public HashSet<string>? Names { get; } = names;

        public int Index { get; set; }
    }
}
