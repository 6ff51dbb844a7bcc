using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>
/// Windowed aggregates answer the same whether a customer walks all its retained events (few of them) or only
/// those of the type (many: <see cref="EventsByType"/>), through arrivals in any order, evictions and reloads.
/// The expected figures come from a plain scan of <see cref="CustomerState.Recent"/>.
/// </summary>
public sealed class EventsByTypeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan[] Windows = [TimeSpan.FromHours(1), TimeSpan.FromDays(7), TimeSpan.FromDays(30), TimeSpan.FromDays(365)];
    private static readonly string[] Types = [EventTypes.Visit, EventTypes.ProductViewed, EventTypes.OrderCompleted, "never_sent"];
    private static readonly Func<RetainedEvent, bool>?[] Filters =
    [
        null,
        e => e.Properties.TryGetValue("category", out var c) && c.AsText() == "shoes",
        e => (e.Properties.TryGetValue("revenue", out var r) ? r.AsNumber() : null) > 50,
    ];

    [Theory]
    [InlineData(10)]
    [InlineData(EventsByType.MinEvents - 1)]
    [InlineData(EventsByType.MinEvents)]
    [InlineData(700)]
    public void Counts_sums_and_next_changes_match_a_scan_of_every_retained_event(int events)
    {
        var random = new Random(events);
        var state = new CustomerState();
        var options = new BehaviourOptions { MaxRetainedEvents = Math.Max(8, events * 3 / 4), RetentionDays = 200 };
        for (var i = 0; i < events; i++)
        {
            // Out of order, some in the future, some beyond the retention horizon, some at the same instant.
            var at = Now.AddMinutes(-random.Next(-60 * 24 * 3, 60 * 24 * 250)).AddSeconds(i % 3 == 0 ? 0 : random.Next(60));
            CustomerBehaviour.Apply(state, random.Next(3) switch
            {
                0 => Visit($"e{i}", "c", at),
                1 => Viewed($"e{i}", "c", at, random.Next(2) == 0 ? "shoes" : "hats"),
                _ => Order($"e{i}", "c", at, random.Next(1, 100)),
            });
            if (i % 50 == 49)
            {
                CustomerBehaviour.Prune(state, Now, options);
                AssertAsAScan(state);
            }
        }

        CustomerBehaviour.Prune(state, Now, options);
        AssertAsAScan(state);

        // A snapshot reload assigns Recent whole: the lists by type are built again from it.
        state.Recent = [.. state.Recent];
        AssertAsAScan(state);
    }

    private static void AssertAsAScan(CustomerState state)
    {
        // Lists kept in step through the arrivals and evictions since they were built hold what a fresh build would.
        if (state.ByTypeIfBuilt is { } kept)
        {
            var fresh = EventsByType.Of(state.Recent);
            Assert.Equal(state.Recent.Count, kept.Count);
            foreach (var type in Types)
            {
                Assert.Equal(fresh.Events(type).ToArray(), kept.Events(type).ToArray());
            }
        }

        foreach (var type in Types)
        {
            foreach (var window in Windows)
            {
                foreach (var where in Filters)
                {
                    foreach (var now in new[] { Now, Now.AddDays(-20), Now.AddDays(2) })
                    {
                        var from = now - window;
                        var matching = state.Recent.Where(e => e.Type == type && (where is null || where(e))).ToList();
                        var inWindow = matching.Where(e => e.Timestamp > from && e.Timestamp <= now).ToList();
                        var leaving = matching.Where(e => e.Timestamp > from && e.Timestamp <= now).Select(e => (DateTimeOffset?)(e.Timestamp + window)).FirstOrDefault();
                        var arriving = matching.Where(e => e.Timestamp > now).Select(e => (DateTimeOffset?)e.Timestamp).FirstOrDefault();
                        var next = leaving is null ? arriving : arriving is null || leaving < arriving ? leaving : arriving;

                        var announced = CustomerBehaviour.NextWindowChange(state, type, window, now, where);
                        if (where is not null || state.EvictedThrough is null || state.EvictedThrough <= from)
                        {
                            Assert.Equal(inWindow.Count, CustomerBehaviour.Count(state, type, window, now, where));
                            Assert.Equal(
                                inWindow.AsEnumerable().Reverse().Sum(e => e.Properties.TryGetValue("revenue", out var v) ? v.AsNumber() ?? 0 : 0),
                                CustomerBehaviour.Sum(state, type, "revenue", window, now, where));
                            Assert.Equal(next, announced);
                        }
                        else
                        {
                            // An unfiltered window partly evicted answers from daily totals instead, whose days move it
                            // too (CustomerBehaviourTests checks those instants): never later than its retained events.
                            Assert.True(announced is { } at && (next is null || at <= next), $"{announced:O} is later than {next:O}");
                        }
                    }
                }
            }
        }
    }
}
