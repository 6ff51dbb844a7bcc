namespace CustomerGrains.Grains.Behaviour;

/// <summary>How much behaviour a customer keeps. Bound from configuration section <c>Behaviour</c>.</summary>
public sealed class BehaviourOptions
{
    public const string Section = "Behaviour";

    /// <summary>Detailed events older than this (relative to now) are evicted; aggregates keep them.</summary>
    public int RetentionDays { get; set; } = 400;

    /// <summary>At most this many detailed events per customer; the oldest are evicted first.</summary>
    public int MaxRetainedEvents { get; set; } = 2000;

    /// <summary>
    /// Daily totals older than this and than the longest window of the store's segments are dropped (a count or sum over a
    /// window longer than this that a store adds later sees the days kept until then).
    /// </summary>
    public int BucketDays { get; set; } = 800;

    /// <summary>
    /// Where a phone sent without a country code and without a country in the same identify is read (ISO 3166-1
    /// alpha-2, e.g. "ES"); none by default, and then such a phone is kept raw. A setting of the deployment, not of a
    /// store: customers apply events when they replay their journal too, where no store setting is at hand.
    /// </summary>
    public string? DefaultPhoneRegion { get; set; }
}
