using System.Collections.Immutable;
using System.Globalization;
using CustomerGrains.Grains.Behaviour;

namespace CustomerGrains.Evaluation;

/// <summary>Customers like the load generator's: mostly visits and product views, some cart adds and orders, one identify.</summary>
public static class SampleCustomers
{
    /// <summary>
    /// Customer <paramref name="seed"/> (30–60 events over the 120 days before <paramref name="now"/>), each event
    /// passed through <paramref name="arrive"/> before it is applied: the memory report sends them through the
    /// Orleans serializer, so that they reach the state as the silo receives them (strings of their own).
    /// </summary>
    public static CustomerState Build(int seed, DateTimeOffset now, Func<CustomerEvent, CustomerEvent>? arrive = null)
    {
        arrive ??= e => e;
        string[] types = ["visit", "visit", "visit", "product_viewed", "product_viewed", "product_viewed", "cart_added", "order_completed"];
        string[] categories = ["shoes", "shirts", "bags", "hats"];
        string[] countries = ["ES", "MX", "DE", "FR", "US", "AR"];
        var random = new Random(seed);
        var state = new CustomerState();
        var id = string.Create(CultureInfo.InvariantCulture, $"c{seed}");
        var events = random.Next(30, 61);
        for (var i = 0; i < events; i++)
        {
            var type = types[random.Next(types.Length)];
            var at = now.AddSeconds(-random.NextDouble() * TimeSpan.FromDays(120).TotalSeconds);
            var properties = type switch
            {
                "order_completed" => ImmutableDictionary<string, PropertyValue>.Empty
                    .Add("revenue", PropertyValue.Of(random.Next(5, 300))).Add("currency", PropertyValue.Of("EUR")),
                "product_viewed" => ImmutableDictionary<string, PropertyValue>.Empty
                    .Add("category", PropertyValue.Of(categories[random.Next(categories.Length)])),
                _ => ImmutableDictionary<string, PropertyValue>.Empty,
            };
            CustomerBehaviour.Apply(state, arrive(new CustomerEvent(string.Create(CultureInfo.InvariantCulture, $"{id}-{i}"), id, type, at, EventProperties.From(properties))));
        }

        var profile = ImmutableDictionary<string, PropertyValue>.Empty.Add("country", PropertyValue.Of(countries[random.Next(countries.Length)]));
        if (random.Next(2) == 0)
        {
            profile = profile.Add("email", PropertyValue.Of($"{id}@example.com"));
        }

        CustomerBehaviour.Apply(state, arrive(new CustomerEvent($"{id}-identify", id, EventTypes.Identify, now.AddDays(-random.Next(1, 120)), EventProperties.From(profile))));
        CustomerBehaviour.Prune(state, now, new BehaviourOptions());
        return state;
    }
}
