using System.Collections.Concurrent;
using CustomerGrains.Grains.Rules;
using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Evaluation;

/// <summary>
/// Per-silo cache of compiled catalogs. A catalog change bumps the required version for its store on every
/// silo (<see cref="CatalogVersions"/>) before the change is acknowledged, so the next customer on any
/// silo reloads; each definition's rule comes compiled from <see cref="SegmentRules"/>, parsed once per process.
/// </summary>
public sealed class SegmentRuleCache(IGrainFactory grains, CatalogVersions versions)
{
    private readonly ConcurrentDictionary<string, CompiledCatalog> _catalogs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CompiledRule> _drafts = new(StringComparer.Ordinal);

    public async ValueTask<CompiledCatalog> GetAsync(string store, long minVersion = 0)
    {
        var required = Math.Max(minVersion, versions.Required(store));
        if (_catalogs.TryGetValue(store, out var cached) && cached.Version >= required)
        {
            return cached;
        }

        var snapshot = await grains.GetGrain<ISegmentCatalogGrain>(store).GetSnapshotAsync();

        // Segments that read other segments are evaluated after them, in one pass per customer; pending
        // versions read serving ones only, so they come last.
        var serving = snapshot.Segments.Where(d => !d.Pending).ToDictionary(d => d.Id, StringComparer.Ordinal);
        var ordered = SegmentGraph.Order(SegmentGraph.Edges(serving.Values)).Select(id => serving[id])
            .Concat(snapshot.Segments.Where(d => d.Pending).OrderBy(d => d.Id, StringComparer.Ordinal));
        var compiled = new CompiledCatalog(
            snapshot.Version,
            [.. ordered.Select(d => new CompiledSegment(d, SegmentRules.Of(d)))]);
        return _catalogs.AddOrUpdate(store, compiled, (_, old) => old.Version >= compiled.Version ? old : compiled);
    }

    /// <summary>A draft rule (previews), compiled once per silo; a small cache, since drafts are short-lived.</summary>
    public CompiledRule Draft(string text)
    {
        if (_drafts.Count > 256)
        {
            _drafts.Clear();
        }

        return _drafts.GetOrAdd(text, RuleCompiler.Compile);
    }
}
