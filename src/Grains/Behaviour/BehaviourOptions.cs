namespace CustomerGrains.Grains.Behaviour;

/// <summary>How much behaviour a customer keeps. Bound from configuration section <c>Behaviour</c>.</summary>
public sealed class BehaviourOptions
{
    public const string Section = "Behaviour";

    /// <summary>Detailed events older than this (relative to now) are evicted; aggregates keep them.</summary>
    public int RetentionDays { get; set; } = 400;

    /// <summary>At most this many detailed events per customer; the oldest are evicted first.</summary>
    public int MaxRetainedEvents { get; set; } = 2000;

    /// <summary>Daily buckets older than this are dropped.</summary>
    public int BucketDays { get; set; } = 800;
}
