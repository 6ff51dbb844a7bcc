using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Tests.Prediction;

/// <summary>
/// A synthetic store with planted ground truth: a customer's odds of being one of the best customers (the seed
/// segment) rise with country ES or DE, the interest "running" and visits in the last 30 days, and with nothing
/// else. Gender, product views, email opens, days since the last visit and city (200 values, a few frequent) are noise.
/// </summary>
internal static class LookalikeStore
{
    public static readonly string[] Countries = ["ES", "DE", "FR", "IT", "PT", "NL", "BE", "PL", "SE", "AT"];
    public static readonly string[] Interests = ["running", "cycling", "yoga", "cooking", "travel", "gaming", "books", "music"];
    public static readonly string[] Genders = ["F", "M", "X"];

    /// <summary>The planted variables, as (feature, value) of <see cref="LookalikeWeight"/>.</summary>
    public static readonly (string Feature, string? Value)[] Planted =
        [("country", "ES"), ("country", "DE"), ("interests", "running"), ("visits_30d", null)];

    /// <summary>
    /// <paramref name="count"/> customers labelled by the planted log-odds; <paramref name="baseLogOdds"/> sets how
    /// rare the best customers are (−2.5: about one in five).
    /// </summary>
    public static List<LookalikeExample> Customers(int count, int seed, double baseLogOdds = -2.5)
    {
        var random = new Random(seed);
        var customers = new List<LookalikeExample>(count);
        for (var i = 0; i < count; i++)
        {
            var subject = RandomSubject(random);
            var logOdds = baseLogOdds + PlantedLogOdds(subject);
            customers.Add(new LookalikeExample(subject, random.NextDouble() < 1 / (1 + Math.Exp(-logOdds))));
        }

        return customers;
    }

    public static LookalikeSubject RandomSubject(Random random) => Subject(
        Countries[random.Next(Countries.Length)],
        [.. Interests.Where(_ => random.NextDouble() < 0.25)],
        Genders[random.Next(Genders.Length)],
        visits: random.Next(0, 21),
        views: random.Next(0, 61),
        opens: random.NextDouble() < 0.1 ? null : random.Next(0, 16),
        daysSinceVisit: random.Next(0, 91),
        city: $"c{(int)(200 * Math.Pow(random.NextDouble(), 3))}");

    public static LookalikeSubject Subject(
        string country, string[] interests, string gender, double visits, double views, double? opens, double daysSinceVisit, string city)
    {
        var numbers = new Dictionary<string, double>
        {
            ["visits_30d"] = visits,
            ["product_views_30d"] = views,
            ["days_since_last_visit"] = daysSinceVisit,
        };
        if (opens is { } o)
        {
            numbers["email_opens_30d"] = o;
        }

        return new LookalikeSubject(
            new Dictionary<string, IReadOnlyList<string>>
            {
                ["country"] = [country],
                ["interests"] = interests,
                ["gender"] = [gender],
                ["city"] = [city],
            },
            numbers);
    }

    /// <summary>The same customer with the planted traits: Spain, running among its interests, 18 visits.</summary>
    public static LookalikeSubject WithPlantedTraits(LookalikeSubject subject) =>
        With(subject, "ES", [.. subject.Categories["interests"].Append("running").Distinct()], 18);

    /// <summary>The same customer without them: France, no running, 2 visits.</summary>
    public static LookalikeSubject WithoutPlantedTraits(LookalikeSubject subject) =>
        With(subject, "FR", [.. subject.Categories["interests"].Where(i => i != "running")], 2);

    private static LookalikeSubject With(LookalikeSubject subject, string country, string[] interests, double visits) => new(
        new Dictionary<string, IReadOnlyList<string>>(subject.Categories) { ["country"] = [country], ["interests"] = interests },
        new Dictionary<string, double>(subject.Numbers) { ["visits_30d"] = visits });

    private static double PlantedLogOdds(LookalikeSubject subject) =>
        (subject.Categories["country"][0] is "ES" or "DE" ? 2.5 : 0)
        + (subject.Categories["interests"].Contains("running") ? 2.0 : 0)
        + 0.3 * (subject.Numbers["visits_30d"] - 10);
}
