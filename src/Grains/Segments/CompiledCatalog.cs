using System.Collections.Immutable;

namespace CustomerGrains.Grains.Segments;

/// <summary>A store's compiled segments at one catalog version.</summary>
public sealed record CompiledCatalog(long Version, ImmutableArray<CompiledSegment> Segments)
{
    public CompiledSegment? Find(string segmentId) => Segments.FirstOrDefault(s => s.Definition.Id == segmentId);
}
