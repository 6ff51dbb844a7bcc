namespace CustomerGrains.Grains.Quality;

/// <summary>A page, or why the query cannot be answered (a field the check does not have, a position it never returned).</summary>
[GenerateSerializer, Immutable, Alias("cg.QualityPageResult")]
public sealed record QualityPageResult([property: Id(0)] QualityPage? Page, [property: Id(1)] string? Problem = null);
