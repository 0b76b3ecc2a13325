namespace StoFunctions.Ethereum.Abi;

/// <summary>A log decoded against its <see cref="AbiEvent"/>: the arguments in declaration order, also by name.
/// Indexed dynamic arguments are the <see cref="Hash32"/> stored in their topic.</summary>
public sealed class DecodedEvent
{
    internal DecodedEvent(AbiEvent @event, object[] values)
    {
        Event = @event;
        Values = values;
    }

    /// <summary>The event the log was decoded with.</summary>
    public AbiEvent Event { get; }

    /// <summary>The arguments in declaration order.</summary>
    public IReadOnlyList<object> Values { get; }

    /// <summary>The argument named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The event has no parameter of that name.</exception>
    public object this[string name]
    {
        get
        {
            for (int i = 0; i < Event.Inputs.Count; i++)
            {
                if (Event.Inputs[i].Name == name)
                {
                    return Values[i];
                }
            }

            throw new KeyNotFoundException($"event {Event.Name} has no parameter '{name}'; it has {string.Join(", ", Event.Inputs.Select(p => p.Name))}.");
        }
    }

    /// <summary>The argument named <paramref name="name"/> as <typeparamref name="T"/>.</summary>
    public T Get<T>(string name) => (T)this[name];

    /// <summary>The event name and its arguments, e.g. <c>Poked(by=0x…, value=5, note=hi)</c>.</summary>
    public override string ToString() =>
        Event.Name + "(" + string.Join(", ", Event.Inputs.Select((p, i) => (p.Name.Length > 0 ? p.Name + "=" : string.Empty) + AbiValueText.Format(Values[i]))) + ")";
}
