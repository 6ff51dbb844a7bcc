namespace CustomerGrains.Grains.Quality;

/// <summary>
/// A page of one check (<c>GET …/quality/{check}</c>): optionally one field, after the position a previous page ended
/// at (<see cref="QualityPage.Next"/>), at most <see cref="Limit"/> customers; <see cref="InactiveDays"/> for the
/// obsolete check (null: the store's retention, else <see cref="QualityIndex.DefaultInactiveDays"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.QualityQuery")]
public sealed record QualityQuery(
    [property: Id(0)] string Check,
    [property: Id(1)] string? Field,
    [property: Id(2)] string? After,
    [property: Id(3)] int Limit,
    [property: Id(4)] int? InactiveDays = null);
