using System.Collections.Immutable;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Segments;

/// <summary>
/// The segment definitions of one store (key: store id), with versions. Silos cache compiled snapshots and
/// are told when they change; customers never call the catalog per event.
/// </summary>
[Alias("cg.ISegmentCatalogGrain")]
public interface ISegmentCatalogGrain : IGrainWithStringKey
{
    [Alias("Create")]
    Task<CatalogResult> CreateAsync(SegmentDraft draft);

    /// <summary>Replaces the definition: a new version, backfilled over existing customers.</summary>
    [Alias("Update")]
    Task<CatalogResult> UpdateAsync(SegmentDraft draft);

    [Alias("Delete")]
    Task<CatalogOutcome> DeleteAsync(string segmentId);

    [Alias("Get"), ReadOnly, AlwaysInterleave]
    Task<SegmentInfo?> GetAsync(string segmentId);

    [Alias("List"), ReadOnly, AlwaysInterleave]
    Task<ImmutableArray<SegmentInfo>> ListAsync();

    /// <summary>A lookalike model of the store was created (or deleted): rules may (no longer) read it.</summary>
    [Alias("SetLookalike")]
    Task SetLookalikeAsync(string id, bool exists);

    /// <summary>The segments whose serving or pending rule reads a lookalike model.</summary>
    [Alias("ReadingLookalike"), ReadOnly, AlwaysInterleave]
    Task<ImmutableArray<string>> SegmentsReadingLookalikeAsync(string id);

    [Alias("Snapshot"), ReadOnly, AlwaysInterleave]
    Task<CatalogSnapshot> GetSnapshotAsync();

    /// <summary>Backfill progress reported by the segment grain doing the work.</summary>
    [Alias("ReportBackfill")]
    Task ReportBackfillAsync(string segmentId, BackfillStatus status);
}
