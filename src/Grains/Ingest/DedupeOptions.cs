namespace CustomerGrains.Grains.Ingest;

/// <summary>The store-wide dedupe of event ids. Bound from configuration section <c>Dedupe</c>.</summary>
public sealed class DedupeOptions
{
    public const string Section = "Dedupe";

    /// <summary>
    /// How long an event id stays claimed by the customer it was first applied to: within it, the same id sent for any
    /// other customer of the store is a duplicate (Segment dedupes its messageId over a window too).
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How many grains share a store's claims (by the id's fingerprint); each holds its part in memory.</summary>
    public int Shards { get; set; } = 4;
}
