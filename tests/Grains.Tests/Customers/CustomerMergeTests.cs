using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>
/// The fold of two customers and the merge's pure steps, with no grain: folding A into B is one customer that applied
/// both streams of events, whatever the order, and an unmerge gives each side back what its own events make it.
/// </summary>
public sealed class CustomerMergeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static readonly CompiledCatalog Catalog = TestCatalogs.Compile(
        [
            ("buyers", "orders >= 1", null),
            ("big", "revenue > 100", null),
            ("repeat", "orders >= 2", null),
            ("recent-visitors", "count(visit, 7d) >= 1", null),
            ("spanish", "profile.country == \"ES\"", null),
            ("known", "exists(profile.email)", null),
            ("viewers", "count(product_viewed, 30d) >= 2", null),
        ],
        Now);

    /// <summary>Named histories of one person, split between two ids by the side letters (one per event, in order).</summary>
    public static TheoryData<string, string> Histories => new()
    {
        { "anonymous-browsing-then-known-purchases", "AAABBB" },
        { "anonymous-browsing-then-known-purchases", "BBBAAA" },
        { "anonymous-browsing-then-known-purchases", "ABABAB" },
        { "conflicting-traits", "AB" },
        { "conflicting-traits", "BA" },
        { "conflicting-traits-at-one-instant", "AB" },
        { "the-same-order-reported-twice", "AB" },
        { "a-refund-on-the-other-side", "AB" },
        { "a-refund-on-the-other-side", "BA" },
        { "one-side-empty", "AAAA" },
        { "days-in-common", "ABAB" },
    };

    [Theory]
    [MemberData(nameof(Histories))]
    public void Folding_one_side_into_the_other_is_the_customer_that_applied_both_streams(string history, string sides)
    {
        var events = History(history);
        var (a, b) = Split(events, sides);
        var both = Applied(events);
        var backwards = Applied([.. events.Reverse()]);

        var ab = CustomerMerge.Fold(Applied(a), Applied(b));
        var ba = CustomerMerge.Fold(Applied(b), Applied(a));

        foreach (var folded in new[] { ab, ba, backwards })
        {
            AssertSameBehaviour(both, folded);
            Assert.Equal(Segments(both), Segments(folded));
            Assert.Equal(View(both), View(folded));
        }
    }

    [Fact]
    public void Fold_leaves_both_sides_as_they_were()
    {
        var (a, b) = Split(History("days-in-common"), "ABAB");
        var (left, right) = (Applied(a), Applied(b));
        var before = (Snapshot(left), Snapshot(right));

        var folded = CustomerMerge.Fold(left, right);
        CustomerBehaviour.Apply(folded, Visit("later", "x", Now));

        Assert.Equal(before, (Snapshot(left), Snapshot(right)));
    }

    [Fact]
    public void An_event_sent_to_both_ids_is_kept_once_in_the_retained_events()
    {
        var shared = Visit("v-shared", "a", Now.AddDays(-1));
        var left = Applied([shared, Visit("v1", "a", Now.AddDays(-2))]);
        var right = Applied([shared with { CustomerId = "b" }]);

        var folded = CustomerMerge.Fold(left, right);

        Assert.Equal(2, folded.Recent.Count);
        Assert.Equal(2, folded.SeenIds.Count);
    }

    [Theory]
    [MemberData(nameof(Histories))]
    public void Absorbing_then_releasing_gives_each_side_what_its_own_events_make_it(string history, string sides)
    {
        var (a, b) = Split(History(history), sides);
        var primary = Decided([.. a.Select(e => e with { CustomerId = "p" })], "p");
        var secondary = Applied([.. b.Select(e => e with { CustomerId = "s" })]);

        var merged = CustomerMerge.Absorb(primary, "p", CustomerMerge.Carried(secondary), "s");

        // Later events reach the merged customer under either id.
        var later = new[] { Visit("late-p", "p", Now), Order("late-s", "s", Now, 300), Identify("late-id", "s", Now, ("country", "FR")) };
        CustomerDecisions.Record(merged, "p", [.. later], Catalog, PopulationThresholds.Empty, Now, new BehaviourOptions());
        Assert.Equal(["p", "s"], CustomerMerge.Ids(merged, "p").ToArray());

        var (kept, restored) = CustomerMerge.Release(merged, "s");

        AssertSameBehaviour(Applied([.. a.Select(e => e with { CustomerId = "p" }), later[0]]), kept);
        AssertSameBehaviour(Applied([.. b.Select(e => e with { CustomerId = "s" }), later[1], later[2]]), restored);
        Assert.Null(kept.Constituents);
        Assert.Null(restored.Constituents);
    }

    [Fact]
    public void A_chain_of_merges_released_in_the_middle_gives_back_the_ids_merged_into_the_one_released()
    {
        var t = Applied([Visit("t1", "t", Now.AddDays(-3))]);
        var s = Applied([Visit("s1", "s", Now.AddDays(-2))]);
        var p = Applied([Visit("p1", "p", Now.AddDays(-1))]);

        var sWithT = CustomerMerge.Absorb(s, "s", CustomerMerge.Carried(t), "t");
        var all = CustomerMerge.Absorb(p, "p", CustomerMerge.Carried(sWithT), "s");
        Assert.Equal(["p", "s", "t"], CustomerMerge.Ids(all, "p").ToArray());
        Assert.Equal("s", all.Constituents!.Single(c => c.Id == "t").Parent);

        var (kept, restored) = CustomerMerge.Release(all, "s");

        Assert.Equal(["p"], CustomerMerge.Ids(kept, "p").ToArray());
        Assert.Equal(["s", "t"], CustomerMerge.Ids(restored, "s").ToArray());
        Assert.Equal([null, "s"], restored.Constituents!.Select(c => c.Parent));
        Assert.Equal(2, restored.EventCount);
        Assert.Equal(1, kept.EventCount);
    }

    [Fact]
    public void The_merged_away_customer_leaves_every_segment_it_was_in_numbered_on_from_its_last_decision()
    {
        var secondary = Decided([Order("o1", "s", Now, 500), Visit("v1", "s", Now)], "s");
        var decisions = secondary.Decisions;

        var leaves = CustomerMerge.Leave(secondary, "s", "p", Now);

        Assert.Equal(["big", "buyers", "recent-visitors"], leaves.Select(l => Catalog.FindByKey(l.Key)!.Definition.Id).Order());
        Assert.All(leaves, l => Assert.Equal(("merged:p", false, "s"), (l.Change.Cause, l.Change.IsMember, l.Change.CustomerId)));
        Assert.Equal(Enumerable.Range((int)decisions + 1, 3).Select(n => (long)n), leaves.Select(l => l.Change.Decision));
    }

    [Theory]
    [InlineData("alias", "previousId", "anon-1", "anon-1")]
    [InlineData("identify", "anonymousId", "anon-1", "anon-1")]
    [InlineData("identify", "anonymousId", "user-1", null)]
    [InlineData("identify", "email", "a@example.com", null)]
    [InlineData("visit", "previousId", "anon-1", null)]
    public void Events_name_the_ids_of_the_same_person(string type, string property, string value, string? named)
    {
        var e = Make("e1", "user-1", type, Now, (property, PropertyValue.Of(value)));

        Assert.Equal(named is null ? [] : [named], CustomerMerge.Named([e]));
    }

    [Fact]
    public void A_replayed_absorption_gives_the_customer_the_live_merge_gave()
    {
        var primary = Decided([Order("o1", "p", Now.AddDays(-1), 50), Identify("i1", "p", Now.AddDays(-2), ("country", "ES"))], "p");
        var secondary = Applied([Order("o2", "s", Now.AddDays(-3), 80), Identify("i2", "s", Now.AddDays(-1), ("email", "ana@example.com"))]);
        var carried = CustomerMerge.Carried(secondary);
        var live = CustomerMerge.Absorb(Copy(primary), "p", carried, "s");
        var decision = CustomerDecisions.Reevaluate(live, "p", Catalog, PopulationThresholds.Empty, Now, _ => "merged:s");
        var rows = MembershipOutbox.Rows("p", decision.Changes, Catalog);

        var replayed = JournalReplay.Apply(
            Copy(primary), 7,
            new JournalEntry([], rows, Erased: false, Identity: new IdentityChange(IdentityChangeKind.Absorbed, "p", "s", carried)), new BehaviourOptions());

        AssertSameBehaviour(live, replayed);
        Assert.Equal(live.Memberships.Keys.Order(), replayed.Memberships.Keys.Order());
        Assert.Equal(["p", "s"], CustomerMerge.Ids(replayed, "p").ToArray());
        Assert.Equal(["big", "known", "repeat"], decision.Changes.Select(c => Catalog.FindByKey(c.Key)!.Definition.Id).Order(StringComparer.Ordinal));
    }

    private static IEnumerable<CustomerEvent> History(string name) => name switch
    {
        "anonymous-browsing-then-known-purchases" =>
        [
            Viewed("v1", "x", Now.AddDays(-20), "shoes"),
            Viewed("v2", "x", Now.AddDays(-3), "shoes"),
            Visit("v3", "x", Now.AddDays(-2)),
            Identify("i1", "x", Now.AddDays(-1), ("email", "ana@example.com"), ("country", "ES")),
            Order("o1", "x", Now.AddDays(-1), 80, orderId: "A"),
            Order("o2", "x", Now.AddHours(-1), 40, orderId: "B"),
        ],
        "conflicting-traits" =>
        [
            Identify("i1", "x", Now.AddDays(-5), ("country", "FR"), ("email", "old@example.com")),
            Identify("i2", "x", Now.AddDays(-1), ("country", "ES")),
        ],
        "conflicting-traits-at-one-instant" =>
        [
            Identify("i2", "x", Now.AddDays(-1), ("country", "FR")),
            Identify("i1", "x", Now.AddDays(-1), ("country", "ES")),
        ],
        "the-same-order-reported-twice" =>
        [
            Order("o1", "x", Now.AddDays(-2), 80, orderId: "A"),
            Order("o2", "x", Now.AddDays(-1), 120, orderId: "A"),
        ],
        "a-refund-on-the-other-side" =>
        [
            Order("o1", "x", Now.AddDays(-2), 150, orderId: "A"),
            Refund("r1", "x", Now.AddDays(-1), amount: null, orderId: "A"),
        ],
        "one-side-empty" =>
        [
            Visit("v1", "x", Now.AddDays(-1)),
            Order("o1", "x", Now.AddDays(-1), 10),
            Visit("v2", "x", Now),
            Identify("i1", "x", Now, ("country", "ES")),
        ],
        "days-in-common" =>
        [
            Order("o1", "x", Now.AddHours(-5), 30),
            Order("o2", "x", Now.AddHours(-4), 70),
            Visit("v1", "x", Now.AddHours(-3)),
            Visit("v2", "x", Now.AddHours(-2)),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static (CustomerEvent[] A, CustomerEvent[] B) Split(IEnumerable<CustomerEvent> events, string sides)
    {
        var list = events.ToList();
        Assert.Equal(list.Count, sides.Length);
        return ([.. list.Where((_, i) => sides[i] == 'A')], [.. list.Where((_, i) => sides[i] == 'B')]);
    }

    private static CustomerState Applied(IEnumerable<CustomerEvent> events)
    {
        var state = new CustomerState();
        foreach (var e in events)
        {
            CustomerBehaviour.Apply(state, e);
        }

        return state;
    }

    /// <summary>Applied and decided, as a customer grain would have it.</summary>
    private static CustomerState Decided(CustomerEvent[] events, string customerId)
    {
        var state = new CustomerState();
        CustomerDecisions.Record(state, customerId, [.. events], Catalog, PopulationThresholds.Empty, Now, new BehaviourOptions());
        return state;
    }

    private static CustomerState Copy(CustomerState state)
    {
        var copy = CustomerMerge.Behaviour(state);
        copy.Memberships = new(state.Memberships, StringComparer.Ordinal);
        copy.Decisions = state.Decisions;
        copy.Registered = state.Registered;
        return copy;
    }

    private static string[] Segments(CustomerState state)
    {
        var copy = Copy(state);
        SegmentEvaluation.Evaluate(copy, "x", Catalog, Now, _ => "test", PopulationThresholds.Empty);
        return [.. copy.Memberships.Keys.Select(k => Catalog.FindByKey(k)!.Definition.Id).Order(StringComparer.Ordinal)];
    }

    private static string View(CustomerState state)
    {
        var view = CustomerViews.Of(state, "store", "x", Catalog, PopulationThresholds.Empty, Now);
        return System.Text.Json.JsonSerializer.Serialize(new
        {
            Profile = view.Profile.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"),
            view.Traits.Orders,
            view.Traits.Revenue,
            view.Traits.Aov,
            view.Traits.Refunds,
            view.Traits.FirstOrderAt,
            view.Traits.LastOrderAt,
            view.Traits.FirstSeenAt,
            view.Traits.LastSeenAt,
            view.Traits.Events,
            Counts = view.Traits.EventCounts30d.OrderBy(c => c.Key),
            view.Lifecycle,
            Stats = CustomerFacts.Stats(state),
        });
    }

    private static string Snapshot(CustomerState state) => System.Text.Json.JsonSerializer.Serialize(new
    {
        Profile = state.Profile.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"),
        Recent = state.Recent.Select(e => $"{e.Fingerprint}@{e.Ticks}"),
        Seen = state.SeenIds.Order(),
        Orders = state.Orders.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}"),
        Refunds = state.Refunds.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}"),
        Totals = state.TypeTotals.OrderBy(t => t.Key),
        Daily = state.Daily.OrderBy(d => d.Key).Select(d => $"{d.Key}:{string.Join(',', d.Value.Select(t => $"{t.Day}/{t.Count}/{t.Revenue}"))}"),
        state.FirstSeen,
        state.LastSeen,
        state.EvictedThrough,
        state.EventCount,
    });

    private static void AssertSameBehaviour(CustomerState expected, CustomerState actual) => Assert.Equal(Snapshot(expected), Snapshot(actual));
}
