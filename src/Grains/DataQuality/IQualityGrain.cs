using System.Collections.Immutable;
using CustomerGrains.Grains.Quality;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.DataQuality;

/// <summary>
/// A store's data-quality report (key: store id): takes the facts its customers report as they change (through each
/// silo's <see cref="QualityReporter"/>), answers the report and its pages from the sets it keeps, and can be rebuilt by
/// asking every customer. docs/ARCHITECTURE.md, "Where data quality is judged".
/// </summary>
[Alias("cg.IQualityGrain")]
public interface IQualityGrain : IGrainWithStringKey
{
    /// <summary>Takes customers' updates (newest version wins); answers what is written so far.</summary>
    [Alias("Merge")]
    Task<QualityAck> MergeAsync(ImmutableArray<QualityUpdate> updates);

    /// <summary>Counts and examples of every check; obsolete: no activity for <paramref name="inactiveDays"/> (null: the store's retention, else 365).</summary>
    [Alias("Summary"), ReadOnly]
    Task<QualitySummary> SummaryAsync(int? inactiveDays);

    /// <summary>A page of one check, or why the query cannot be answered.</summary>
    [Alias("Page"), ReadOnly]
    Task<QualityPageResult> PageAsync(QualityQuery query);

    [Alias("GetKeyTraits"), ReadOnly]
    Task<ImmutableArray<string>> GetKeyTraitsAsync();

    /// <summary>Replaces the traits the missing check looks for (known profile traits; validated by the caller). Durable when answered.</summary>
    [Alias("SetKeyTraits")]
    Task SetKeyTraitsAsync(ImmutableArray<string> keyTraits);

    /// <summary>Starts a rebuild from the store's customers unless one is running; answers its state.</summary>
    [Alias("Rebuild")]
    Task<QualityRebuild> RebuildAsync();
}
