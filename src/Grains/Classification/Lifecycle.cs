namespace CustomerGrains.Grains.Classification;

/// <summary>
/// Where a customer is in its life with the store, from its first and last order and the time now:
/// prospect (no order) → new (first order within 30 days) → active (last order within 90 days) →
/// at_risk (within 180) → lapsed (within 365) → churned, by default (a store can set the days).
/// Pure; the stage changes with time alone, so
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

    public static string Of(DateTimeOffset? firstOrder, DateTimeOffset? lastOrder, DateTimeOffset now, ClassificationSettings? settings = null)
    {
        var (newFor, activeFor, atRiskFor, lapsedFor) = Limits(settings);
        if (firstOrder is not { } first || lastOrder is not { } last)
        {
            return Prospect;
        }

        var sinceLast = now - last;
        return (now - first) <= newFor ? New
            : sinceLast <= activeFor ? Active
            : sinceLast <= atRiskFor ? AtRisk
            : sinceLast <= lapsedFor ? Lapsed
            : Churned;
    }

    /// <summary>The first instant after <paramref name="now"/> at which the stage changes with no new order.</summary>
    public static DateTimeOffset? NextChange(DateTimeOffset? firstOrder, DateTimeOffset? lastOrder, DateTimeOffset now, ClassificationSettings? settings = null)
    {
        var (newFor, activeFor, atRiskFor, lapsedFor) = Limits(settings);
        if (firstOrder is not { } first || lastOrder is not { } last)
        {
            return null;
        }

        // Just past each boundary, where the comparisons above have turned. Called for every customer with
        // orders on every evaluation pass (six lifecycle segments), so no LINQ here.
        var tick = TimeSpan.FromTicks(1);
        DateTimeOffset? next = null;
        Consider(first + newFor + tick);
        Consider(last + activeFor + tick);
        Consider(last + atRiskFor + tick);
        Consider(last + lapsedFor + tick);
        return next;

        void Consider(DateTimeOffset at)
        {
            if (at > now && (next is null || at < next))
            {
                next = at;
            }
        }
    }

    private static (TimeSpan New, TimeSpan Active, TimeSpan AtRisk, TimeSpan Lapsed) Limits(ClassificationSettings? settings)
    {
        var s = settings ?? ClassificationSettings.Default;
        return (TimeSpan.FromDays(s.NewDays), TimeSpan.FromDays(s.ActiveDays), TimeSpan.FromDays(s.AtRiskDays), TimeSpan.FromDays(s.LapsedDays));
    }
}
