namespace CustomerGrains.Grains.Quality;

/// <summary>
/// A customer's facts as of its journal entry <see cref="Version"/> (the entry's sequence number, which only grows for
/// one customer, across activations and silos); null facts: the customer is gone (erased, purged). A store's report
/// keeps the newest version per customer, so updates may arrive late, twice or out of order.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.QualityUpdate")]
public sealed record QualityUpdate(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] long Version,
    [property: Id(2)] CustomerQuality? Facts)
{
    /// <summary>Whether this update replaces <paramref name="held"/> (the same or a newer version: the latest word wins a tie).</summary>
    public bool Supersedes(QualityUpdate? held) => held is null || Version >= held.Version;
}
