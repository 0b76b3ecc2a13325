namespace StoFunctions.Ethereum.Abi;

/// <summary>
/// The functions, events, errors and constructor of one contract, loaded from solc's JSON ABI
/// (<see cref="FromJson"/>) or from human-readable signatures (<see cref="Parse(string[])"/>). Looks members up by
/// name, signature, selector or topic, and decodes logs and revert data against the contract's own definitions.
/// </summary>
public sealed class ContractAbi
{
    private readonly Dictionary<Hash32, AbiEvent> _eventsByTopic = [];

    internal ContractAbi(IReadOnlyList<AbiFunction> functions, IReadOnlyList<AbiEvent> events, IReadOnlyList<AbiError> errors, AbiConstructor? constructor)
    {
        Functions = functions;
        Events = events;
        Errors = errors;
        Constructor = constructor;
        foreach (AbiEvent e in events.Where(e => !e.Anonymous))
        {
            _eventsByTopic.TryAdd(e.Topic, e);
        }
    }

    /// <summary>The contract's functions (overloads appear once per signature).</summary>
    public IReadOnlyList<AbiFunction> Functions { get; }

    /// <summary>The contract's events.</summary>
    public IReadOnlyList<AbiEvent> Events { get; }

    /// <summary>The contract's custom errors.</summary>
    public IReadOnlyList<AbiError> Errors { get; }

    /// <summary>The constructor, or null when the ABI declares none (a constructor without parameters).</summary>
    public AbiConstructor? Constructor { get; }

    /// <summary>Loads a JSON ABI: solc's array, or an artifact object with an <c>abi</c> property.</summary>
    /// <exception cref="AbiException">The JSON is malformed or an entry is invalid; the message names the entry (e.g. <c>abi[3].inputs[1].type</c>).</exception>
    public static ContractAbi FromJson(string json) => AbiJsonReader.Read(json);

    /// <summary>Builds an ABI from human-readable signatures (<c>function …</c>, <c>event …</c>, <c>error …</c>, <c>constructor(…)</c>).</summary>
    /// <exception cref="AbiException">A signature is malformed; the message names it, the problem and the offset.</exception>
    public static ContractAbi Parse(params string[] signatures)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        var functions = new List<AbiFunction>();
        var events = new List<AbiEvent>();
        var errors = new List<AbiError>();
        AbiConstructor? constructor = null;
        foreach (string signature in signatures)
        {
            AbiSignature parsed = AbiTextParser.ParseSignature(signature);
            switch (parsed.Kind)
            {
                case AbiMemberKind.Function:
                    functions.Add(new AbiFunction(parsed.Name, parsed.Inputs, parsed.Outputs, parsed.StateMutability));
                    break;
                case AbiMemberKind.Event:
                    events.Add(new AbiEvent(parsed.Name, parsed.Inputs, parsed.Anonymous));
                    break;
                case AbiMemberKind.Error:
                    errors.Add(new AbiError(parsed.Name, parsed.Inputs));
                    break;
                default:
                    constructor = constructor is null
                        ? new AbiConstructor(parsed.Inputs, parsed.StateMutability)
                        : throw new AbiException($"\"{signature}\" is a second constructor; a contract has at most one.");
                    break;
            }
        }

        return new ContractAbi(functions, events, errors, constructor);
    }

    /// <summary>The function with this name (when not overloaded) or canonical signature (<c>transfer(address,uint256)</c>).</summary>
    /// <exception cref="AbiException">No such function, or the name is overloaded and a signature is needed.</exception>
    public AbiFunction GetFunction(string nameOrSignature) =>
        Find(Functions, nameOrSignature, f => f.Name, f => f.Signature, "function");

    /// <summary>The event with this name (when not overloaded) or canonical signature.</summary>
    /// <exception cref="AbiException">No such event, or the name is overloaded and a signature is needed.</exception>
    public AbiEvent GetEvent(string nameOrSignature) =>
        Find(Events, nameOrSignature, e => e.Name, e => e.Signature, "event");

    /// <summary>The custom error with this name (when not overloaded) or canonical signature.</summary>
    /// <exception cref="AbiException">No such error, or the name is overloaded and a signature is needed.</exception>
    public AbiError GetError(string nameOrSignature) =>
        Find(Errors, nameOrSignature, e => e.Name, e => e.Signature, "error");

    /// <summary>The function whose selector starts <paramref name="callData"/>, or null.</summary>
    public AbiFunction? FindFunction(ReadOnlySpan<byte> callData)
    {
        if (callData.Length < 4)
        {
            return null;
        }

        foreach (AbiFunction function in Functions)
        {
            if (callData[..4].SequenceEqual(function.Selector))
            {
                return function;
            }
        }

        return null;
    }

    /// <summary>The non-anonymous event whose signature hash is <paramref name="topic0"/>, or null.</summary>
    public AbiEvent? FindEvent(Hash32 topic0) => _eventsByTopic.GetValueOrDefault(topic0);

    /// <summary>Decodes a log of one of this contract's events, chosen by topic 0.</summary>
    /// <exception cref="AbiException">No event of this ABI has that topic 0, or the log is malformed.</exception>
    public DecodedEvent DecodeLog(IReadOnlyList<Hash32> topics, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(topics);
        if (topics.Count == 0 || FindEvent(topics[0]) is not AbiEvent e)
        {
            string topic = topics.Count == 0 ? "no topics" : $"topic 0 {topics[0]}";
            throw new AbiException($"the log has {topic}, which matches none of the events {string.Join(", ", Events.Select(x => x.Signature))}.");
        }

        return e.DecodeLog(topics, data);
    }

    /// <summary>Decodes revert data against <c>Error(string)</c>, <c>Panic(uint256)</c> and this contract's custom errors.</summary>
    public RevertReason DecodeRevert(ReadOnlySpan<byte> revertData) => RevertReason.Decode(revertData, Errors);

    private static T Find<T>(IReadOnlyList<T> items, string key, Func<T, string> name, Func<T, string> signature, string what)
    {
        ArgumentNullException.ThrowIfNull(key);
        string compact = string.Concat(key.Where(c => !char.IsWhiteSpace(c)));
        bool bySignature = compact.Contains('(', StringComparison.Ordinal);
        T[] matches = items.Where(i => bySignature ? signature(i) == compact : name(i) == key).ToArray();
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new AbiException($"the ABI has no {what} '{key}'; it has {(items.Count == 0 ? "none" : string.Join(", ", items.Select(signature)))}."),
            _ => throw new AbiException($"the {what} name '{key}' is overloaded ({string.Join(", ", matches.Select(signature))}); pass the full signature."),
        };
    }
}
