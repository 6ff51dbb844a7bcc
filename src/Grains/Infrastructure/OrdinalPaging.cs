namespace CustomerGrains.Grains.Infrastructure;

/// <summary>Stable keyset paging over an ordinal-sorted id set: a page starts strictly after the cursor.</summary>
public static class OrdinalPaging
{
    public static IEnumerable<string> After(SortedSet<string> ids, string? after)
    {
        if (after is null || ids.Count == 0)
        {
            return ids;
        }

        var max = ids.Max!;
        if (string.CompareOrdinal(after, max) >= 0)
        {
            return [];
        }

        // GetViewBetween is inclusive: skip the cursor itself when it is still in the set.
        return ids.GetViewBetween(after, max).SkipWhile(id => id == after);
    }
}
