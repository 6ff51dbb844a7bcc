namespace CustomerGrains.Grains.Behaviour;

/// <summary>
/// Shared instances of small property sets that recur across events and customers (<c>{category: shoes}</c>,
/// <c>{currency: EUR, revenue: 20}</c>): an <see cref="EventProperties"/> array is never changed once built, so
/// events with equal properties can hold the same one. Like <see cref="Infrastructure.StringPool"/>, a fixed
/// table of slots that each keep the last set that landed there: bounded whatever the input.
/// </summary>
internal static class PropertySetPool
{
    // Larger sets rarely repeat whole.
    private const int MaxEntries = 4;

    private static readonly KeyValuePair<string, PropertyValue>[]?[] Slots = new KeyValuePair<string, PropertyValue>[]?[8192];

    /// <summary>The pooled array equal to <paramref name="entries"/> (sorted, names and texts already pooled), or <paramref name="entries"/> itself.</summary>
    public static KeyValuePair<string, PropertyValue>[] Share(KeyValuePair<string, PropertyValue>[] entries)
    {
        if (entries.Length > MaxEntries)
        {
            return entries;
        }

        var hash = new HashCode();
        foreach (var (name, value) in entries)
        {
            if (value.Kind == PropertyKind.List)
            {
                return entries;
            }

            hash.Add(name.GetHashCode());
            hash.Add(value.Kind);
            hash.Add(BitConverter.DoubleToInt64Bits(value.Number));
            hash.Add(value.Text?.GetHashCode() ?? 0);
        }

        var slot = (uint)hash.ToHashCode() & (uint)(Slots.Length - 1);
        var pooled = Volatile.Read(ref Slots[slot]);
        if (pooled is not null && Same(pooled, entries))
        {
            return pooled;
        }

        Volatile.Write(ref Slots[slot], entries);
        return entries;
    }

    private static bool Same(KeyValuePair<string, PropertyValue>[] a, KeyValuePair<string, PropertyValue>[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            var (x, y) = (a[i].Value, b[i].Value);

            // Bit for bit: 0 and −0 (which print differently as text) must not share.
            if (!string.Equals(a[i].Key, b[i].Key, StringComparison.Ordinal)
                || x.Kind != y.Kind
                || BitConverter.DoubleToInt64Bits(x.Number) != BitConverter.DoubleToInt64Bits(y.Number)
                || !string.Equals(x.Text, y.Text, StringComparison.Ordinal)
                || !x.Items.IsDefault
                || !y.Items.IsDefault)
            {
                return false;
            }
        }

        return true;
    }
}
