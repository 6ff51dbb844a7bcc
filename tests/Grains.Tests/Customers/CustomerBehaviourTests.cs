using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Customers;

public sealed class CustomerBehaviourTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly CustomerEvent[] History =
    [
        Identify("i1", "c", Now.AddDays(-10), ("country", "ES"), ("city", "Madrid")),
        Identify("i2", "c", Now.AddDays(-5), ("city", "Sevilla")),
        Order("o1", "c", Now.AddDays(-9), 100, orderId: "A"),
        Order("o1-resent", "c", Now.AddDays(-8), 120, orderId: "A"),
        Order("o2", "c", Now.AddDays(-4), 50, orderId: "B"),
        Refund("r1", "c", Now.AddDays(-3), amount: 20),
        Refund("r2", "c", Now.AddDays(-2), amount: null, orderId: "B"),
        Visit("v1", "c", Now.AddDays(-40)),
        Visit("v2", "c", Now.AddDays(-1)),
    ];

    [Fact]
    public void Every_arrival_order_gives_the_same_traits_and_profile()
    {
        var expected = Replay(History);
        var random = new Random(7);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var shuffled = History.OrderBy(_ => random.Next()).ToArray();
            var state = Replay(shuffled);

            Assert.Equal(Describe(expected), Describe(state));
        }
    }

    [Fact]
    public void Resent_orders_replace_and_refunds_subtract_whole_orders_or_amounts()
    {
        var traits = CustomerBehaviour.ComputeTraits(Replay(History), Now);

        // Order A resent at 120 replaces 100; B (50) fully refunded; 20 refunded by amount.
        Assert.Equal(2, traits.Orders);
        Assert.Equal(100, traits.Revenue);
        Assert.Equal(50, traits.Aov);
        Assert.Equal(2, traits.Refunds);
        Assert.Equal(Now.AddDays(-8), traits.FirstOrderAt);
        Assert.Equal(Now.AddDays(-40), traits.FirstSeenAt);
        Assert.Equal(Now.AddDays(-1), traits.LastSeenAt);
        Assert.Equal(1, traits.EventCounts30d["visit"]);
    }

    [Fact]
    public void A_replayed_event_id_is_not_applied_twice()
    {
        var state = new CustomerState();

        Assert.True(CustomerBehaviour.Apply(state, Order("o1", "c", Now, 10)));
        Assert.False(CustomerBehaviour.Apply(state, Order("o1", "c", Now, 99)));
        Assert.Equal(10, CustomerBehaviour.Revenue(state));
        Assert.Equal(1, state.EventCount);
    }

    [Fact]
    public void Evicted_detail_still_counts_through_daily_buckets()
    {
        var options = new BehaviourOptions { RetentionDays = 400, MaxRetainedEvents = 3 };
        var state = new CustomerState();
        for (var day = 1; day <= 6; day++)
        {
            CustomerBehaviour.Apply(state, Visit($"v{day}", "c", Now.AddDays(-day)));
        }

        CustomerBehaviour.Prune(state, Now, options);

        Assert.Equal(3, state.Recent.Count);
        Assert.Equal(6, CustomerBehaviour.Count(state, "visit", TimeSpan.FromDays(30), Now, null));
        Assert.Equal(2, CustomerBehaviour.Count(state, "visit", TimeSpan.FromDays(2.5), Now, null));
    }

    [Fact]
    public void Daily_totals_past_every_window_s_horizon_go_and_those_a_window_reads_stay()
    {
        var options = new BehaviourOptions { BucketDays = 800 };
        var kept = new CustomerState();
        var dropped = new CustomerState();
        foreach (var state in new[] { kept, dropped })
        {
            CustomerBehaviour.Apply(state, Visit("v1", "c", Now.AddDays(-950)));
            CustomerBehaviour.Apply(state, Visit("v2", "c", Now.AddDays(-700)));
        }

        // A store whose longest window is 1000 days keeps them; one whose windows all end before 800 days does not.
        CustomerBehaviour.Prune(kept, Now, options, windowDays: 1000);
        CustomerBehaviour.Prune(dropped, Now, options, windowDays: 30);

        Assert.Equal(2, CustomerBehaviour.Count(kept, "visit", TimeSpan.FromDays(1000), Now, null));
        Assert.Equal(1, CustomerBehaviour.Count(dropped, "visit", TimeSpan.FromDays(1000), Now, null));
        Assert.Equal([1L, 1L], kept.Daily["visit"].Select(d => d.Count).ToArray());
        Assert.Single(dropped.Daily["visit"]);
    }

    [Fact]
    public void Detail_older_than_the_retention_horizon_is_evicted()
    {
        var state = new CustomerState();
        CustomerBehaviour.Apply(state, Visit("old", "c", Now.AddDays(-500)));
        CustomerBehaviour.Apply(state, Visit("new", "c", Now.AddDays(-5)));

        CustomerBehaviour.Prune(state, Now, new BehaviourOptions { RetentionDays = 400 });

        Assert.Equal([CustomerBehaviour.Fingerprint("new")], state.Recent.Select(e => e.Fingerprint).ToArray());
        Assert.Equal(2, state.EventCount);
        Assert.Equal(Now.AddDays(-500), state.FirstSeen);
    }

    [Fact]
    public void The_next_window_change_is_the_first_match_to_leave_or_the_first_future_one_to_arrive()
    {
        // Against the definition, over random histories: every matching event in (now - window, now] leaves at its
        // time + window, every future-stamped one arrives at its own time; the answer is the earliest of those.
        var random = new Random(11);
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var events = Enumerable.Range(0, random.Next(0, 60))
                .Select(i => Make($"e{i}", "c", random.Next(3) == 0 ? "visit" : "product_viewed", Now.AddHours(random.Next(-24 * 60, 24 * 5))))
                .ToArray();
            var state = Replay(events);
            var window = TimeSpan.FromDays(random.Next(1, 45));
            Func<RetainedEvent, bool>? where = random.Next(2) == 0 ? null : e => e.Fingerprint % 3 == 1;
            var from = Now - window;
            var expected = state.Recent
                .Where(e => e.Type == "visit" && e.Timestamp > from && (where is null || where(e)))
                .Select(e => e.Timestamp > Now ? e.Timestamp : e.Timestamp + window)
                .Cast<DateTimeOffset?>()
                .Min();

            Assert.Equal(expected, CustomerBehaviour.NextWindowChange(state, "visit", window, Now, where));
        }
    }

    [Fact]
    public void A_window_answered_from_daily_totals_announces_every_change_time_alone_makes()
    {
        // Detail evicted by the cap: windows without a filter that reach back past the eviction count days, which
        // leave and arrive at midnights, and turn to the retained events once the window passes the eviction. No
        // count or sum may change between now and the announced instant, at any instant one of them could change.
        var random = new Random(17);
        var options = new BehaviourOptions { MaxRetainedEvents = 12, RetentionDays = 400 };
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var events = Enumerable.Range(0, random.Next(13, 60))
                .Select(i => Order($"e{i}", "c", Now.AddMinutes(-random.Next(-60 * 20, 60 * 24 * 50)), random.Next(1, 100)))
                .ToArray();
            var state = Replay(events);
            CustomerBehaviour.Prune(state, Now, options);
            var window = TimeSpan.FromHours(random.Next(1, 24 * 40));

            var next = CustomerBehaviour.NextWindowChange(state, "order_completed", window, Now, null);

            var count = CustomerBehaviour.Count(state, "order_completed", window, Now, null);
            var sum = CustomerBehaviour.Sum(state, "order_completed", "revenue", window, Now, null);
            var candidates = events.SelectMany(e => new[] { e.Timestamp, e.Timestamp + window })
                .Concat(events.SelectMany(e => new[] { Midnight(e.Timestamp), Midnight(e.Timestamp) + window, Midnight(e.Timestamp).AddDays(1) + window }))
                .Append(state.EvictedThrough!.Value + window)
                .SelectMany(at => new[] { at, at.AddTicks(1) })
                .Where(at => at > Now && (next is null || at < next));
            foreach (var at in candidates)
            {
                Assert.True(count == CustomerBehaviour.Count(state, "order_completed", window, at, null), $"attempt {attempt}: the count changed at {at:O}, before {next:O}");
                Assert.True(sum == CustomerBehaviour.Sum(state, "order_completed", "revenue", window, at, null), $"attempt {attempt}: the sum changed at {at:O}, before {next:O}");
            }
        }
    }

    private static DateTimeOffset Midnight(DateTimeOffset at) => new(at.UtcDateTime.Date, TimeSpan.Zero);

    private static CustomerState Replay(IEnumerable<CustomerEvent> events)
    {
        var state = new CustomerState();
        foreach (var e in events)
        {
            CustomerBehaviour.Apply(state, e);
        }

        return state;
    }

    private static string Describe(CustomerState state)
    {
        var traits = CustomerBehaviour.ComputeTraits(state, Now);
        var profile = string.Join(";", state.Profile.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value.Value.AsText()}"));
        var recent = string.Join(",", state.Recent.Select(e => e.Fingerprint));
        return $"{traits with { EventCounts30d = null! }}|{string.Join(",", traits.EventCounts30d)}|{profile}|{recent}";
    }
}
