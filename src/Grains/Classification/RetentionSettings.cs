using System.Globalization;

namespace CustomerGrains.Grains.Classification;

/// <summary>
/// A store's retention of obsolete customers: a customer with no activity (no event, by event time) for
/// <see cref="InactiveDays"/> days is purged — removed everywhere like an erasure, with cause <c>purged</c>, but its id is
/// not suppressed. Null: customers are kept however long they stay inactive.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.RetentionSettings")]
public sealed record RetentionSettings([property: Id(0)] int? InactiveDays = null)
{
    public const int MaxDays = 36_600;

    public static readonly RetentionSettings None = new();

    /// <summary>Why these settings cannot stand, or null.</summary>
    public string? Problem() => InactiveDays is { } days && days is < 1 or > MaxDays
        ? $"inactiveDays must be a whole number of days from 1 to {MaxDays}, or null to keep customers"
        : null;

    /// <summary>When a customer last active at <paramref name="lastSeen"/> is purged; null: never.</summary>
    public DateTimeOffset? PurgeAt(DateTimeOffset? lastSeen) => InactiveDays is { } days && lastSeen is { } at ? at.AddDays(days) : null;

    /// <summary>
    /// The rule that holds exactly for the customers <see cref="PurgeAt"/> has come for (what a preview counts):
    /// <c>days_since</c> is in fractional days, so it reaches the limit at the same instant.
    /// </summary>
    public static string Rule(int inactiveDays) => string.Create(CultureInfo.InvariantCulture, $"days_since(last_seen) >= {inactiveDays}");
}
