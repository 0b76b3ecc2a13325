namespace StoFunctions.Ethereum.Abi;

/// <summary>
/// A contract event: computes its topics (topic 0 = keccak256 of the signature unless anonymous) and decodes logs.
/// Indexed static values are stored in topics as their ABI word; indexed dynamic values (<c>string</c>, <c>bytes</c>,
/// arrays, tuples) are stored as the keccak256 of their in-place encoding, so decoding returns that
/// <see cref="Hash32"/> rather than the value (https://docs.soliditylang.org/en/latest/abi-spec.html#events).
/// </summary>
public sealed class AbiEvent
{
    private readonly AbiParameter[] _indexed;
    private readonly AbiParameter[] _nonIndexed;

    /// <summary>Creates an event from its parts.</summary>
    public AbiEvent(string name, IReadOnlyList<AbiParameter> inputs, bool anonymous = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(inputs);
        AbiSignature.RequireName(name, "event");
        Name = name;
        Inputs = inputs.ToArray();
        Anonymous = anonymous;
        _indexed = Inputs.Where(p => p.Indexed).ToArray();
        _nonIndexed = Inputs.Where(p => !p.Indexed).ToArray();
        int maxIndexed = anonymous ? 4 : 3;
        if (_indexed.Length > maxIndexed)
        {
            throw new AbiException($"event {name} has {_indexed.Length} indexed parameters; a log has room for {maxIndexed} (4 topics{(anonymous ? string.Empty : ", one taken by the signature")}).");
        }

        Signature = AbiSignature.Canonical(name, Inputs);
        Topic = AbiSignature.Hash(Signature);
    }

    /// <summary>The event name.</summary>
    public string Name { get; }

    /// <summary>All parameters in declaration order.</summary>
    public IReadOnlyList<AbiParameter> Inputs { get; }

    /// <summary>True for an anonymous event (no signature topic).</summary>
    public bool Anonymous { get; }

    /// <summary>The canonical signature, e.g. <c>Transfer(address,address,uint256)</c>.</summary>
    public string Signature { get; }

    /// <summary>keccak256(<see cref="Signature"/>): topic 0 of every log of this event unless it is anonymous.</summary>
    public Hash32 Topic { get; }

    /// <summary>Parses a human-readable event signature such as <c>event Transfer(address indexed from, address indexed to, uint256 value)</c>.</summary>
    /// <exception cref="AbiException">The text is not an event signature; the message names the problem and its offset.</exception>
    public static AbiEvent Parse(string signature)
    {
        AbiSignature parsed = AbiTextParser.ParseSignature(signature);
        if (parsed.Kind != AbiMemberKind.Event)
        {
            throw new AbiException($"\"{signature}\" declares {parsed.Kind.ToString().ToLowerInvariant()} '{parsed.Name}', not an event; start it with 'event'.");
        }

        return new AbiEvent(parsed.Name, parsed.Inputs, parsed.Anonymous);
    }

    /// <summary>
    /// The topic value of one indexed argument: the ABI word of a static value, keccak256 of the in-place encoding
    /// of a dynamic one.
    /// </summary>
    public static Hash32 EncodeTopic(AbiType type, object? value)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!type.IsDynamic && type.Kind is not (AbiTypeKind.Tuple or AbiTypeKind.Array))
        {
            Span<byte> word = stackalloc byte[32];
            AbiEncoder.WriteValue(type, value, word);
            return Hash32.FromBytes(word);
        }

        var preimage = new List<byte>();
        AbiEncoder.WriteTopicPreimage(type, value, preimage);
        return Keccak256.Hash(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(preimage));
    }

    /// <summary>
    /// Topics for an <c>eth_getLogs</c> filter: the signature topic (unless anonymous) followed by one entry per
    /// indexed parameter, in order; a null value is a wildcard. Trailing wildcards may be omitted.
    /// </summary>
    /// <exception cref="AbiException">More values than indexed parameters, or a value does not fit its type.</exception>
    public IReadOnlyList<Hash32?> EncodeTopicFilter(params ReadOnlySpan<object?> indexedValues)
    {
        if (indexedValues.Length > _indexed.Length)
        {
            throw new AbiException($"event {Name} has {_indexed.Length} indexed parameters but {indexedValues.Length} filter values were given.");
        }

        var topics = new List<Hash32?>();
        if (!Anonymous)
        {
            topics.Add(Topic);
        }

        for (int i = 0; i < indexedValues.Length; i++)
        {
            try
            {
                topics.Add(indexedValues[i] is null ? null : EncodeTopic(_indexed[i].Type, indexedValues[i]));
            }
            catch (AbiException e)
            {
                throw e.Under(AbiEncoder.Segment(_indexed[i], i));
            }
        }

        return topics;
    }

    /// <summary>Encodes a log of this event (topics and data) from all arguments in declaration order.</summary>
    public (IReadOnlyList<Hash32> Topics, byte[] Data) EncodeLog(params ReadOnlySpan<object?> values)
    {
        if (values.Length != Inputs.Count)
        {
            throw new AbiException($"event {Name} has {Inputs.Count} parameters but {values.Length} values were given.");
        }

        var topics = new List<Hash32>();
        if (!Anonymous)
        {
            topics.Add(Topic);
        }

        var data = new List<object?>();
        for (int i = 0; i < Inputs.Count; i++)
        {
            if (Inputs[i].Indexed)
            {
                try
                {
                    topics.Add(EncodeTopic(Inputs[i].Type, values[i]));
                }
                catch (AbiException e)
                {
                    throw e.Under(AbiEncoder.Segment(Inputs[i], i));
                }
            }
            else
            {
                data.Add(values[i]);
            }
        }

        return (topics, AbiCodec.Encode(_nonIndexed, data.ToArray()));
    }

    /// <summary>Decodes a log of this event. Topic 0 must be <see cref="Topic"/> (unless anonymous) and the topic
    /// count must match the indexed parameters.</summary>
    /// <exception cref="AbiException">The log does not belong to this event or is malformed.</exception>
    public DecodedEvent DecodeLog(IReadOnlyList<Hash32> topics, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(topics);
        int first = Anonymous ? 0 : 1;
        if (!Anonymous && (topics.Count == 0 || topics[0] != Topic))
        {
            string actual = topics.Count == 0 ? "no topics" : $"topic 0 {topics[0]}";
            throw new AbiException($"the log has {actual} but {Signature} has topic {Topic}", Signature, -1);
        }

        if (topics.Count - first != _indexed.Length)
        {
            throw new AbiException($"the log has {topics.Count} topics but {Signature} needs {_indexed.Length + first} ({_indexed.Length} indexed parameters{(Anonymous ? string.Empty : " + the signature")})", Signature, -1);
        }

        object[] unindexed = AbiCodec.Decode(_nonIndexed, data);
        var values = new object[Inputs.Count];
        Span<byte> word = stackalloc byte[32];
        int topic = first;
        int plain = 0;
        for (int i = 0; i < Inputs.Count; i++)
        {
            AbiParameter input = Inputs[i];
            if (!input.Indexed)
            {
                values[i] = unindexed[plain++];
                continue;
            }

            Hash32 value = topics[topic++];
            if (input.Type.IsDynamic || input.Type.Kind is AbiTypeKind.Array or AbiTypeKind.Tuple)
            {
                values[i] = value;
                continue;
            }

            value.CopyTo(word);
            try
            {
                values[i] = AbiCodec.Decode([input], word)[0];
            }
            catch (AbiException e)
            {
                throw new AbiException($"topic {topic - 1} is not a valid {input.Type}: {e.Problem}", AbiEncoder.Segment(input, i), -1);
            }
        }

        return new DecodedEvent(this, values);
    }

    /// <summary>The human-readable signature, e.g. <c>event Transfer(address indexed from, address indexed to, uint256 value)</c>.</summary>
    public override string ToString() => "event " + Name + AbiSignature.Describe(Inputs) + (Anonymous ? " anonymous" : string.Empty);
}
