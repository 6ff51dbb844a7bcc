namespace CustomerGrains.Grains.Segments;

/// <summary>The answer to a catalog change: the segment, or why there is none.</summary>
[GenerateSerializer, Immutable, Alias("cg.CatalogResult")]
public sealed record CatalogResult(
    [property: Id(0)] CatalogOutcome Outcome,
    [property: Id(1)] SegmentInfo? Segment,
    [property: Id(2)] string? Error)
{
    public static CatalogResult Ok(SegmentInfo segment) => new(CatalogOutcome.Ok, segment, null);

    public static CatalogResult Fail(CatalogOutcome outcome, string error) => new(outcome, null, error);
}
