using System.Collections.Immutable;

namespace CustomerGrains.Grains.Segments;

/// <summary>A store's compiled segments at one catalog version.</summary>
public sealed record CompiledCatalog(long Version, ImmutableArray<CompiledSegment> Segments)
{
    /// <summary>The serving version of a segment.</summary>
    public CompiledSegment? Find(string segmentId) => Segments.FirstOrDefault(s => s.Definition.Id == segmentId && !s.Definition.Pending);

    /// <summary>Any version (serving or pending) by its incarnation key.</summary>
    public CompiledSegment? FindByKey(string key) => Segments.FirstOrDefault(s => s.Definition.Key == key);
}
