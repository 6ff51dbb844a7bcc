using System.Globalization;
using System.Runtime.InteropServices;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Evaluation;

/// <summary>
/// What a customer looks like to a lookalike model (pure): its profile — country, region, city, gender, age band,
/// income band, occupation, interests — and its behaviour — how often it visited, viewed products (and of which
/// categories, among its retained events), added to cart, started checkout, opened and clicked e-mails, and how many
/// days ago it was last seen (capped at a year). Orders are left out on purpose: the model finds prospects, who have
/// none, that look like buyers. Counts are lifetime totals on a log scale (one heavy visitor does not dominate), so
/// only the recency and the age band move with time.
/// </summary>
public static class LookalikeFeatures
{
    private static readonly (string Feature, string Profile)[] ProfileFields =
    [
        ("country", "country"), ("region", "region"), ("city", "city"), ("gender", "gender"),
        ("income_band", "incomeBand"), ("occupation", "occupation"),
    ];

    private static readonly (string Feature, string Type)[] Counts =
    [
        ("visits", EventTypes.Visit), ("product_views", EventTypes.ProductViewed), ("cart_adds", EventTypes.CartAdded),
        ("checkouts", EventTypes.CheckoutStarted), ("email_opens", EventTypes.EmailOpened), ("email_clicks", EventTypes.EmailClicked),
    ];

    /// <summary>The names a store may pick from (<c>features</c> of a lookalike); all of them by default.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(
        ProfileFields.Select(p => p.Feature).Concat(Counts.Select(c => c.Feature)).Concat(["age_band", "interests", "viewed_category", "days_since_last_seen"]),
        StringComparer.Ordinal);

    public static LookalikeSubject Of(CustomerState state, DateTimeOffset now, IReadOnlySet<string>? only = null)
    {
        var categories = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (feature, profile) in ProfileFields)
        {
            if (Wanted(feature) && state.Profile.TryGetValue(profile, out var field) && field.Value.AsText() is { Length: > 0 } text)
            {
                categories[feature] = [text.Trim().ToLowerInvariant()];
            }
        }

        if (Wanted("interests") && state.Profile.TryGetValue("interests", out var interests) && interests.Value is { Kind: PropertyKind.List, Items.IsDefaultOrEmpty: false } list)
        {
            categories["interests"] = [.. list.Items.Select(i => i.Trim().ToLowerInvariant()).Where(i => i.Length > 0).Distinct()];
        }

        if (Wanted(Age) && AgeBand(state, now) is { } band)
        {
            categories[Age] = [band];
        }

        if (Wanted("viewed_category"))
        {
            // The product views alone where the customer's events are indexed by type (a busy customer), else a walk.
            var views = state.ByType() is { } byType ? byType.Events(EventTypes.ProductViewed) : CollectionsMarshal.AsSpan(state.Recent);
            List<string>? viewed = null;
            foreach (var e in views)
            {
                if (e.Type == EventTypes.ProductViewed && e.Properties.TryGetValue("category", out var category)
                    && category.AsText() is { Length: > 0 } text && Normal(text) is { Length: > 0 } normal && !(viewed ??= []).Contains(normal))
                {
                    viewed.Add(normal);
                }
            }

            if (viewed is not null)
            {
                categories["viewed_category"] = viewed;
            }
        }

        foreach (var (feature, type) in Counts)
        {
            if (Wanted(feature))
            {
                numbers[feature] = Math.Log(1 + state.TypeTotals.GetValueOrDefault(type));
            }
        }

        if (Wanted("days_since_last_seen"))
        {
            numbers[Recency] = DaysSinceLastSeen(state, now);
        }

        return new LookalikeSubject(categories, numbers);

        bool Wanted(string feature) => only is null || only.Contains(feature);
    }

    private static string Normal(string text) => text.Trim().ToLowerInvariant();

    /// <summary>The one number time moves (the age band is the one category it moves).</summary>
    public const string Recency = "days_since_last_seen";

    public const string Age = "age_band";

    public static double DaysSinceLastSeen(CustomerState state, DateTimeOffset now) =>
        state.LastSeen is { } seen ? Math.Clamp((now - seen).TotalDays, 0, 365) : 365;

    /// <summary>Ten-year bands from the birth date (<c>18-24</c>, <c>25-34</c>, …, <c>65+</c>); none without one.</summary>
    public static string? AgeBand(CustomerState state, DateTimeOffset now)
    {
        if (!state.Profile.TryGetValue("birthDate", out var field)
            || !DateTimeOffset.TryParse(field.Value.AsText(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var birth)
            || birth > now)
        {
            return null;
        }

        var age = now.Year - birth.Year - (now.Month < birth.Month || (now.Month == birth.Month && now.Day < birth.Day) ? 1 : 0);
        return age switch
        {
            < 18 => "under-18",
            < 25 => "18-24",
            < 35 => "25-34",
            < 45 => "35-44",
            < 55 => "45-54",
            < 65 => "55-64",
            _ => "65+",
        };
    }
}
