using CustomerGrains.Grains.Behaviour;
namespace CustomerGrains.Grains.Evaluation;

/// <summary>
/// What changed in a customer since its last evaluation pass: the parts (<see cref="StateParts"/>) and the types of
/// the events it accepted. Built by the grain as it applies a request; a pass over none re-evaluates only the
/// segments whose deadline has come.
/// </summary>
public sealed class StateChanges
{
    private List<string>? _types;

    /// <summary>Nothing changed: time alone moved (a deadline came) or the catalog did.</summary>
    public static StateChanges None => new();

    /// <summary>Anything may have changed: every segment is evaluated.</summary>
    public static StateChanges All => new() { Parts = StateParts.Everything };

    public StateParts Parts { get; private set; }

    /// <summary>An accepted event.</summary>
    public void Accepted(CustomerEvent e)
    {
        Parts |= StateParts.Activity
            | (e.Type == EventTypes.Identify ? StateParts.Profile : StateParts.None)
            | (EventTypes.IsPurchase(e.Type) ? StateParts.Purchases : StateParts.None);

        _types ??= new List<string>(1);
        if (!_types.Contains(e.Type))
        {
            _types.Add(e.Type);
        }
    }

    /// <summary>Detail was evicted: windows may answer from daily totals now, for any type.</summary>
    public void Evicted() => Parts = StateParts.Everything;

    /// <summary>A part changed outside the customer's own events (the store's statistics).</summary>
    public void Changed(StateParts parts) => Parts |= parts;

    public bool Touches(string eventType) => _types is not null && _types.Contains(eventType);
}
