namespace CustomerGrains.Grains.Classification;

/// <summary>
/// Where a customer is in its life with the store, from its first and last order and the time now:
/// prospect (no order) → new (first order within 30 days) → active (last order within 90 days) →
/// at_risk (within 180) → lapsed (within 365) → churned. Pure; the stage changes with time alone, so
/// <see cref="NextChange"/> gives the instant it will.
/// </summary>
public static class Lifecycle
{
    public const string Prospect = "prospect";
    public const string New = "new";
    public const string Active = "active";
    public const string AtRisk = "at_risk";
    public const string Lapsed = "lapsed";
    public const string Churned = "churned";

    public static readonly IReadOnlyList<string> Stages = [Prospect, New, Active, AtRisk, Lapsed, Churned];

    private static readonly TimeSpan NewFor = TimeSpan.FromDays(30);
    private static readonly TimeSpan ActiveFor = TimeSpan.FromDays(90);
    private static readonly TimeSpan AtRiskFor = TimeSpan.FromDays(180);
    private static readonly TimeSpan LapsedFor = TimeSpan.FromDays(365);

    public static string Of(DateTimeOffset? firstOrder, DateTimeOffset? lastOrder, DateTimeOffset now)
    {
        if (firstOrder is not { } first || lastOrder is not { } last)
        {
            return Prospect;
        }

        var sinceLast = now - last;
        return (now - first) <= NewFor ? New
            : sinceLast <= ActiveFor ? Active
            : sinceLast <= AtRiskFor ? AtRisk
            : sinceLast <= LapsedFor ? Lapsed
            : Churned;
    }

    /// <summary>The first instant after <paramref name="now"/> at which the stage changes with no new order.</summary>
    public static DateTimeOffset? NextChange(DateTimeOffset? firstOrder, DateTimeOffset? lastOrder, DateTimeOffset now)
    {
        if (firstOrder is not { } first || lastOrder is not { } last)
        {
            return null;
        }

        // Just past each boundary, where the comparisons above have turned.
        var tick = TimeSpan.FromTicks(1);
        return new[] { first + NewFor, last + ActiveFor, last + AtRiskFor, last + LapsedFor }
            .Select(at => at + tick)
            .Where(at => at > now)
            .Cast<DateTimeOffset?>()
            .Min();
    }
}
