namespace CustomerGrains.Grains.Segments;

[GenerateSerializer, Alias("cg.SegmentCatalogState")]
public sealed class SegmentCatalogState
{
    /// <summary>Bumped on every change; silos compare it with their cached snapshot.</summary>
    [Id(0)] public long Version { get; set; }

    [Id(1)] public Dictionary<string, SegmentDefinition> Segments { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public Dictionary<string, BackfillStatus> Backfills { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Last version of deleted segment ids, so a re-created id continues the version sequence.</summary>
    [Id(3)] public Dictionary<string, long> DeletedVersions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Edited versions being backfilled; each replaces its serving version when complete.</summary>
    [Id(4)] public Dictionary<string, SegmentDefinition> Pending { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether the store's default segments (<see cref="LifecycleSegments"/>) were created.</summary>
    [Id(5)] public bool DefaultsCreated { get; set; }

    /// <summary>The store's lookalike models by id (told by the lookalike grain): the only ones a rule may read.</summary>
    [Id(6)] public HashSet<string> Lookalikes { get; set; } = new(StringComparer.Ordinal);
}
