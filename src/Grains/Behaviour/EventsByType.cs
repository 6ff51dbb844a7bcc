using System.Runtime.InteropServices;

namespace CustomerGrains.Grains.Behaviour;

/// <summary>
/// A busy customer's retained events split by type, each list in <see cref="CustomerState.Recent"/>'s order, so
/// windowed aggregates look only at the events of their type (a count without a filter is two binary searches)
/// instead of walking every retained event for every windowed rule of every segment. Not stored: built on first
/// use, then kept in step by <see cref="CustomerBehaviour.Apply"/> and <see cref="CustomerBehaviour.Prune"/>.
/// Customers with few events walk <see cref="CustomerState.Recent"/> instead and keep no second copy.
/// </summary>
public sealed class EventsByType
{
    /// <summary>From this many retained events on, a customer keeps its events by type as well.</summary>
    public const int MinEvents = 64;

    private readonly Dictionary<string, List<RetainedEvent>> _byType = new(StringComparer.Ordinal);

    /// <summary>How many events the lists hold together (equal to Recent's count while in step).</summary>
    public int Count { get; private set; }

    public static EventsByType Of(List<RetainedEvent> recent)
    {
        var index = new EventsByType();
        foreach (var e in recent)
        {
            index.ListOf(e.Type).Add(e);
        }

        index.Count = recent.Count;
        return index;
    }

    /// <summary>The events of one type, oldest first; empty when there are none.</summary>
    public ReadOnlySpan<RetainedEvent> Events(string type) =>
        _byType.TryGetValue(type, out var events) ? CollectionsMarshal.AsSpan(events) : [];

    /// <summary>Inserts an event where <see cref="CustomerState.Recent"/> placed it among those of its type.</summary>
    internal void Insert(RetainedEvent e)
    {
        CustomerBehaviour.InsertInOrder(ListOf(e.Type), e);
        Count++;
    }

    /// <summary>Removes the events Recent evicted: every event up to and including <paramref name="newestEvicted"/> in Recent's order.</summary>
    internal void RemoveThrough(RetainedEvent newestEvicted, Comparison<RetainedEvent> order)
    {
        foreach (var events in _byType.Values)
        {
            var evict = 0;
            while (evict < events.Count && order(events[evict], newestEvicted) <= 0)
            {
                evict++;
            }

            events.RemoveRange(0, evict);
            Count -= evict;
        }
    }

    private List<RetainedEvent> ListOf(string type)
    {
        if (!_byType.TryGetValue(type, out var events))
        {
            _byType[type] = events = [];
        }

        return events;
    }
}
