using CustomerGrains.Grains.Rules;

namespace CustomerGrains.Grains.Segments;

/// <summary>A definition with its rule compiled once per version, shared by every customer on the silo.</summary>
public sealed record CompiledSegment(SegmentDefinition Definition, CompiledRule Rule);
