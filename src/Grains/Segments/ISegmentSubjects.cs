namespace CustomerGrains.Grains.Segments;

/// <summary>
/// The customers a segment is decided for, as the segment side reaches them (backfills, previews, reclassification):
/// each customer decides for itself. Defined here and implemented by the customers' room, so that segments do not
/// depend on the customer grain that depends on them (docs/ARCHITECTURE.md).
/// </summary>
public interface ISegmentSubjects
{
    /// <summary>Has each customer re-evaluate every segment against a catalog at least as new as <paramref name="catalogVersion"/>.</summary>
    Task ReevaluateAsync(string store, IReadOnlyList<string> customerIds, long catalogVersion);

    /// <summary>Whether each customer satisfies a draft rule now; nothing is decided or stored.</summary>
    Task<bool[]> MatchAsync(string store, IReadOnlyList<string> customerIds, string ruleText);
}
