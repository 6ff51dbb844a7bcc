using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Rules;
using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Tests.Infrastructure;

/// <summary>Compiled catalogs for pure evaluation tests, ordered as the silo's rule cache orders them.</summary>
internal static class TestCatalogs
{
    /// <summary>Serving version 1 of each segment, with a fixed uid per position: every segment after the ones it reads.</summary>
    public static CompiledCatalog Compile(IEnumerable<(string Id, string Rule, string? Parent)> segments, DateTimeOffset at)
    {
        var definitions = segments
            .Select((d, i) => new SegmentDefinition(d.Id, d.Id, null, d.Rule, 1, new Guid(i + 1, 0, 0, new byte[8]), 1, at, at, d.Parent))
            .ToDictionary(d => d.Id, StringComparer.Ordinal);
        var ordered = SegmentGraph.Order(SegmentGraph.Edges(definitions.Values)).Select(id => definitions[id]);
        return new CompiledCatalog(1, [.. ordered.Select(d => new CompiledSegment(d, RuleCompiler.Compile(d.EffectiveRule)))]);
    }
}
