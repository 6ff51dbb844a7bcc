using System.Collections.Frozen;
using System.Collections.Immutable;

namespace CustomerGrains.Grains.Evaluation;

/// <summary>A store's compiled segments at one catalog version.</summary>
public sealed record CompiledCatalog(long Version, ImmutableArray<CompiledSegment> Segments)
{
    // Built once per catalog version and read for every customer evaluated against it.
    private readonly FrozenDictionary<string, CompiledSegment> _byKey =
        Segments.ToFrozenDictionary(s => s.Key, StringComparer.Ordinal);

    private readonly FrozenDictionary<Guid, CompiledSegment> _byUid =
        Segments.ToFrozenDictionary(s => s.Definition.Uid);

    private readonly FrozenDictionary<string, CompiledSegment> _serving =
        Segments.Where(s => !s.Definition.Pending).ToFrozenDictionary(s => s.Definition.Id, StringComparer.Ordinal);

    /// <summary>
    /// The longest window any segment reads, in whole days (rounded up): a customer keeps its daily totals at least this
    /// far back (<see cref="Behaviour.CustomerBehaviour.Prune"/>), so every count and sum a rule asks for is exact.
    /// </summary>
    public int WindowDays { get; } = Segments.IsDefaultOrEmpty
        ? 0
        : Segments.Max(s => (int)Math.Min(Math.Ceiling(Rules.RuleAnalysis.LongestWindow(s.Rule.Ast).TotalDays), int.MaxValue));

    /// <summary>The serving version of a segment.</summary>
    public CompiledSegment? Find(string segmentId) => _serving.GetValueOrDefault(segmentId);

    /// <summary>Any version (serving or pending) by its incarnation key.</summary>
    public CompiledSegment? FindByKey(string key) => _byKey.GetValueOrDefault(key);

    /// <summary>Any version (serving or pending) by its incarnation id.</summary>
    public CompiledSegment? FindByUid(Guid uid) => _byUid.GetValueOrDefault(uid);
}
