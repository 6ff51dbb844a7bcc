using System.Collections;
using System.Collections.Immutable;
using CustomerGrains.Grains.Infrastructure;

namespace CustomerGrains.Grains.Behaviour;

/// <summary>
/// A retained event's properties: one array of entries sorted by name (ordinal), instead of the
/// <see cref="ImmutableDictionary{TKey, TValue}"/> an event arrives with (a tree node of ~100 bytes per
/// property, plus the dictionary). Events carry a handful of properties, so a scan or a binary search over
/// the array is as quick as hashing. Names and short text values are pooled (<see cref="StringPool"/>), and so
/// are small sets whole (<see cref="PropertySetPool"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.EventProperties")]
public readonly struct EventProperties : IReadOnlyCollection<KeyValuePair<string, PropertyValue>>
{
    // Scanning is quicker than halving up to about this many entries.
    private const int ScanUpTo = 8;

    /// <summary>Sorted by key, keys distinct; null when there are none.</summary>
    [Id(0)] private readonly KeyValuePair<string, PropertyValue>[]? _entries;

    private EventProperties(KeyValuePair<string, PropertyValue>[] entries) => _entries = entries;

    public static EventProperties Empty => default;

    public int Count => _entries?.Length ?? 0;

    public static EventProperties From(IReadOnlyCollection<KeyValuePair<string, PropertyValue>> properties)
    {
        if (properties.Count == 0)
        {
            return Empty;
        }

        var entries = new KeyValuePair<string, PropertyValue>[properties.Count];
        var i = 0;
        foreach (var (name, value) in properties)
        {
            entries[i++] = Pooled(name, value);
        }

        Array.Sort(entries, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new EventProperties(PropertySetPool.Share(entries));
    }

    /// <summary>
    /// The same properties with names and short texts pooled: for properties deserialized from a snapshot or a
    /// message. Properties already pooled (an event parsed in this process) come back as they are, uncopied.
    /// </summary>
    public EventProperties Pooled()
    {
        if (_entries is null)
        {
            return this;
        }

        KeyValuePair<string, PropertyValue>[]? copy = null;
        for (var i = 0; i < _entries.Length; i++)
        {
            var (name, value) = _entries[i];
            var pooled = Pooled(name, value);
            if (copy is null && (!ReferenceEquals(pooled.Key, name) || !Same(pooled.Value, value)))
            {
                copy = new KeyValuePair<string, PropertyValue>[_entries.Length];
                Array.Copy(_entries, copy, i);
            }

            if (copy is not null)
            {
                copy[i] = pooled;
            }
        }

        return new EventProperties(PropertySetPool.Share(copy ?? _entries));
    }

    public bool TryGetValue(string name, out PropertyValue value)
    {
        var entries = _entries;
        if (entries is not null)
        {
            var at = entries.Length <= ScanUpTo ? Scan(entries, name) : Search(entries, name);
            if (at >= 0)
            {
                value = entries[at].Value;
                return true;
            }
        }

        value = PropertyValue.Null;
        return false;
    }

    public ReadOnlySpan<KeyValuePair<string, PropertyValue>>.Enumerator GetEnumerator() =>
        new ReadOnlySpan<KeyValuePair<string, PropertyValue>>(_entries).GetEnumerator();

    IEnumerator<KeyValuePair<string, PropertyValue>> IEnumerable<KeyValuePair<string, PropertyValue>>.GetEnumerator() =>
        ((IEnumerable<KeyValuePair<string, PropertyValue>>)(_entries ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<string, PropertyValue>>)this).GetEnumerator();

    private static KeyValuePair<string, PropertyValue> Pooled(string name, PropertyValue value) =>
        new(StringPool.Names.Intern(name), Pooled(value));

    /// <summary>
    /// The value in its canonical shape (<see cref="PropertyValue.Canonical"/>: what rules read it as, taken here, once,
    /// rather than on every read), with its text, if short, pooled (<see cref="StringPool.Values"/>).
    /// </summary>
    internal static PropertyValue Pooled(PropertyValue value)
    {
        value = value.Canonical();
        return value is { Kind: PropertyKind.Text, Text: { } text } ? value with { Text = StringPool.Values.Intern(text) } : value;
    }

    /// <summary>The same value and the same instances: an unchanged entry keeps its array (and its shared set).</summary>
    private static bool Same(PropertyValue a, PropertyValue b) =>
        a.Kind == b.Kind
        && BitConverter.DoubleToInt64Bits(a.Number) == BitConverter.DoubleToInt64Bits(b.Number)
        && ReferenceEquals(a.Text, b.Text)
        && a.Items == b.Items;

    private static int Scan(KeyValuePair<string, PropertyValue>[] entries, string name)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            if (string.Equals(entries[i].Key, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static int Search(KeyValuePair<string, PropertyValue>[] entries, string name)
    {
        int low = 0, high = entries.Length - 1;
        while (low <= high)
        {
            var mid = low + ((high - low) / 2);
            var order = string.CompareOrdinal(entries[mid].Key, name);
            if (order == 0)
            {
                return mid;
            }

            if (order < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return -1;
    }
}
