namespace CustomerGrains.Grains.Segments;

/// <summary>
/// The references between a store's segments (parents and <c>in_segment</c>): pure checks that every
/// reference exists, that there is no cycle and no chain deeper than <see cref="MaxDepth"/>, and the
/// order in which a customer evaluates them (every segment after the ones it reads).
/// </summary>
public static class SegmentGraph
{
    public const int MaxDepth = 8;

    /// <summary>The segments each definition reads (its parent included), from the analysis made once per rule.</summary>
    public static Dictionary<string, IReadOnlySet<string>> Edges(IEnumerable<SegmentDefinition> definitions) =>
        definitions.ToDictionary(
            d => d.Id,
            d => (IReadOnlySet<string>)SegmentRules.Of(d).Inputs.Segments.ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);

    /// <summary>Why this set of references cannot stand, or null when it can.</summary>
    public static string? Check(IReadOnlyDictionary<string, IReadOnlySet<string>> edges)
    {
        foreach (var (id, reads) in edges.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (reads.FirstOrDefault(r => !edges.ContainsKey(r)) is { } missing)
            {
                return $"segment '{id}' refers to segment '{missing}', which does not exist";
            }
        }

        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in edges.Keys.Order(StringComparer.Ordinal))
        {
            if (Depth(id, edges, depth, []) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>Ids in an order where every segment comes after the segments it reads.</summary>
    public static List<string> Order(IReadOnlyDictionary<string, IReadOnlySet<string>> edges)
    {
        var order = new List<string>(edges.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        void Place(string id, int guard)
        {
            if (placed.Contains(id) || guard > edges.Count)
            {
                return;
            }

            foreach (var read in edges.GetValueOrDefault(id, new HashSet<string>()).Order(StringComparer.Ordinal))
            {
                Place(read, guard + 1);
            }

            if (placed.Add(id))
            {
                order.Add(id);
            }
        }

        foreach (var id in edges.Keys.Order(StringComparer.Ordinal))
        {
            Place(id, 0);
        }

        return order;
    }

    private static string? Depth(string id, IReadOnlyDictionary<string, IReadOnlySet<string>> edges, Dictionary<string, int> depth, List<string> path)
    {
        if (depth.ContainsKey(id))
        {
            return null;
        }

        if (path.Contains(id))
        {
            return $"segments would refer to each other in a cycle: {string.Join(" → ", path.SkipWhile(p => p != id).Append(id))}";
        }

        path.Add(id);
        var deepest = 0;
        foreach (var read in edges[id])
        {
            if (Depth(read, edges, depth, path) is { } problem)
            {
                return problem;
            }

            deepest = Math.Max(deepest, depth[read]);
        }

        path.RemoveAt(path.Count - 1);
        depth[id] = deepest + 1;
        return depth[id] > MaxDepth
            ? $"segment '{id}' sits {depth[id]} levels deep in references; at most {MaxDepth} are allowed"
            : null;
    }
}
