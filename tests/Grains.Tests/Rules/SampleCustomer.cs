using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Rules;

namespace CustomerGrains.Grains.Tests.Rules;

/// <summary>A customer held in plain collections, with honest window arithmetic, for rule tests.</summary>
internal sealed class SampleCustomer : IRuleSubject
{
    public Dictionary<string, RuleValue> ProfileFields { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, RuleValue> Traits { get; } = new(StringComparer.Ordinal);

    public List<SampleEvent> Events { get; } = [];

    public HashSet<string> Segments { get; } = new(StringComparer.Ordinal);

    /// <summary>What the store's purchase model expects over each horizon; Null for any other (no model).</summary>
    public Dictionary<TimeSpan, RuleValue> ExpectedOrdersBy { get; } = [];

    /// <summary>Scores under the store's lookalike models, by model id; Null for any other.</summary>
    public Dictionary<string, RuleValue> LookalikeScores { get; } = new(StringComparer.Ordinal);

    public bool InSegment(string segmentId) => Segments.Contains(segmentId);

    public RuleValue ExpectedOrders(TimeSpan horizon, DateTimeOffset now) => ExpectedOrdersBy.GetValueOrDefault(horizon);

    public RuleValue Lookalike(string model, DateTimeOffset now) => LookalikeScores.GetValueOrDefault(model);

    /// <summary>The age in whole years, counted on birthdays at midnight UTC, as customers count it.</summary>
    public RuleValue Profile(string name, DateTimeOffset now)
    {
        if (name != "age")
        {
            return ProfileFields.GetValueOrDefault(name);
        }

        if (!ProfileFields.TryGetValue("birth_date", out var birth) || birth.Time > now)
        {
            return RuleValue.Null;
        }

        var years = now.Year - birth.Time.Year;
        return RuleValue.Of(now.Month < birth.Time.Month || (now.Month == birth.Time.Month && now.Day < birth.Time.Day) ? years - 1 : years);
    }

    public RuleValue Trait(string name, DateTimeOffset now) => Traits.GetValueOrDefault(name);

    public long Count(string type, TimeSpan window, DateTimeOffset now, Func<IRuleEvent, bool>? where) =>
        InWindow(type, window, now, where).Count();

    public double Sum(string type, string property, TimeSpan window, DateTimeOffset now, Func<IRuleEvent, bool>? where) =>
        InWindow(type, window, now, where).Sum(e => e.Property(property) is { Kind: RuleValueKind.Number } v ? v.Number : 0);

    public DateTimeOffset? NextWindowChange(string type, TimeSpan window, DateTimeOffset now, Func<IRuleEvent, bool>? where) =>
        Events.Where(e => e.Type == type && e.Timestamp > now - window && (where is null || where(e)))
            .Select(e => e.Timestamp > now ? e.Timestamp : e.Timestamp + window)
            .Cast<DateTimeOffset?>()
            .Min();

    private IEnumerable<SampleEvent> InWindow(string type, TimeSpan window, DateTimeOffset now, Func<IRuleEvent, bool>? where) =>
        Events.Where(e => e.Type == type && e.Timestamp > now - window && e.Timestamp <= now && (where is null || where(e)));
}
