using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Rules;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>One evaluation pass decides the memberships and the next deadline together, as if decided apart.</summary>
public sealed class SegmentEvaluationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    // Windows with and without filters, traits, profile, lifecycle, and segments reading segments (a child
    // reading its parent, a segment reading a child): catalog order must make each see the others decided.
    private static readonly (string Id, string Rule, string? Parent)[] Definitions =
    [
        ("buyers", "orders >= 1", null),
        ("shoe-buyers", "count(product_viewed where category == \"shoes\", 30d) >= 1", "buyers"),
        ("lapsing-shoe-buyers", "in_segment(\"shoe-buyers\") and days_since(last_order) > 20", null),
        ("not-buyers", "not in_segment(\"buyers\") and count(visit, 14d) >= 1", null),
        ("regulars", "count(visit, 90d) >= 4 and count(visit, 14d) == 0", null),
        ("big-spenders", "sum(order_completed.revenue, 365d) >= 200 or count(order_completed where revenue > 150, 365d) >= 1", null),
        ("spaniards", "profile.country in [\"ES\", \"MX\"]", null),
        ("lifecycle-new", "lifecycle == \"new\"", null),
        ("lifecycle-active", "lifecycle == \"active\"", null),
        ("lifecycle-at-risk", "lifecycle == \"at_risk\"", null),
        ("lifecycle-prospect", "lifecycle == \"prospect\"", null),
    ];

    public static TheoryData<string, int> Customers => new()
    {
        // A prospect: visits, views, no order.
        { "prospect", 0 },
        { "prospect", 11 },
        // A buyer of shoes whose order ages: lifecycle, days_since and windows all move.
        { "shoe-buyer", 0 },
        { "shoe-buyer", 5 },
        { "shoe-buyer", 25 },
        { "shoe-buyer", 100 },
        // A big, silent regular.
        { "regular", 0 },
        { "regular", 40 },
    };

    [Theory]
    [MemberData(nameof(Customers))]
    public void One_pass_decides_what_evaluating_and_then_computing_deadlines_apart_decide(string customer, int daysLater)
    {
        var catalog = Catalog();
        var state = Replay(customer);
        var reference = Replay(customer);

        // First at now, then (the same state) after time alone has moved: memberships decided in the first
        // pass are what the second starts from.
        foreach (var at in new[] { Now, Now.AddDays(daysLater) })
        {
            var outcome = SegmentEvaluation.Evaluate(state, customer, catalog, at, _ => "test", PopulationThresholds.Empty);
            var (changes, deadline) = TwoPasses(reference, catalog, at);

            Assert.Equal(changes, outcome.Changes);
            Assert.Equal(deadline, outcome.NextDeadline);
            Assert.Equal(reference.Memberships.Keys.Order(StringComparer.Ordinal), state.Memberships.Keys.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void The_next_deadline_is_the_earliest_of_every_segments_own()
    {
        var catalog = Catalog();
        var state = Replay("shoe-buyer");

        var outcome = SegmentEvaluation.Evaluate(state, "shoe-buyer", catalog, Now, _ => "test", PopulationThresholds.Empty);

        // The visit 3 days ago leaves the 14-day window of not-buyers and regulars in 11 days; every other
        // segment's own deadline (the shoes view in 26, the last order's 20 days in 12 + a tick, …) is later.
        var facts = new CustomerFacts(state, SegmentEvaluation.InServing(state, catalog), PopulationThresholds.Empty);
        var own = catalog.Segments.Select(s => s.Rule.NextDeadline(facts, Now)).OfType<DateTimeOffset>().ToList();
        Assert.True(own.Count > 1, "several segments have deadlines of their own");
        Assert.Equal(own.Min(), outcome.NextDeadline);
        Assert.Equal(Now.AddDays(11), outcome.NextDeadline);
    }

    [Fact]
    public void A_segment_reading_another_sees_the_membership_decided_earlier_in_the_same_pass()
    {
        var catalog = Catalog();
        var state = Replay("shoe-buyer");

        var outcome = SegmentEvaluation.Evaluate(state, "shoe-buyer", catalog, Now.AddDays(13), _ => "test", PopulationThresholds.Empty);

        Assert.True(state.Memberships.ContainsKey(catalog.Find("shoe-buyers")!.Key));
        Assert.True(state.Memberships.ContainsKey(catalog.Find("lapsing-shoe-buyers")!.Key));
        Assert.False(state.Memberships.ContainsKey(catalog.Find("not-buyers")!.Key));
        Assert.Equal(state.Memberships.Count, outcome.Changes);
    }

    [Fact]
    public void A_where_filter_reads_its_own_event_after_an_aggregate_nested_in_it()
    {
        var state = Replay("shoe-buyer");
        var facts = new CustomerFacts(state);

        // The nested count scans the order events; the outer filter must still see the product view it is testing.
        var rule = RuleCompiler.Compile("count(product_viewed where count(order_completed, 30d) >= 1 and category == \"shoes\", 30d) == 1");

        Assert.True(rule.Evaluate(facts, Now));

        // The earlier of the shoes view leaving the window (26 days) and the order leaving the nested one (22).
        Assert.Equal(Now.AddDays(22), rule.NextDeadline(facts, Now));
    }

    /// <summary>The decision as it was made before one pass did both: a fresh view of the customer for every read.</summary>
    private static (int Changes, DateTimeOffset? Deadline) TwoPasses(CustomerState state, CompiledCatalog catalog, DateTimeOffset now)
    {
        var changes = 0;
        foreach (var segment in catalog.Segments)
        {
            var facts = new CustomerFacts(state, SegmentEvaluation.InServing(state, catalog), PopulationThresholds.Empty);
            var isMember = segment.Rule.Evaluate(facts, now);
            if (isMember == state.Memberships.ContainsKey(segment.Key))
            {
                continue;
            }

            changes++;
            if (isMember)
            {
                state.Memberships[segment.Key] = new Membership(segment.Definition.Uid, now, "test");
            }
            else
            {
                state.Memberships.Remove(segment.Key);
            }
        }

        DateTimeOffset? next = null;
        foreach (var segment in catalog.Segments)
        {
            var facts = new CustomerFacts(state, SegmentEvaluation.InServing(state, catalog), PopulationThresholds.Empty);
            if (segment.Rule.NextDeadline(facts, now) is { } at && (next is null || at < next))
            {
                next = at;
            }
        }

        return (changes, next);
    }

    private static CompiledCatalog Catalog() => TestCatalogs.Compile(Definitions, Now);

    private static CustomerState Replay(string customer)
    {
        CustomerEvent[] events = customer switch
        {
            "prospect" =>
            [
                Visit("v1", customer, Now.AddDays(-10)),
                Visit("v2", customer, Now.AddDays(-2)),
                Viewed("p1", customer, Now.AddDays(-4), "shoes"),
                Identify("i1", customer, Now.AddDays(-10), ("country", "ES")),
            ],
            "shoe-buyer" =>
            [
                Visit("v1", customer, Now.AddDays(-3)),
                Viewed("p1", customer, Now.AddDays(-40), "shoes"),
                Viewed("p2", customer, Now.AddDays(-4), "shoes"),
                Viewed("p3", customer, Now.AddDays(-2), "hats"),
                Order("o1", customer, Now.AddDays(-8), 120),
                Identify("i1", customer, Now.AddDays(-30), ("country", "DE")),
            ],
            _ =>
            [
                .. new[] { 80, 60, 45, 30, 20 }.Select(d => Visit($"v{d}", customer, Now.AddDays(-d))),
                Order("o1", customer, Now.AddDays(-200), 90),
                Order("o2", customer, Now.AddDays(-70), 160),
                Identify("i1", customer, Now.AddDays(-90), ("country", "MX")),
            ],
        };

        var state = new CustomerState();
        foreach (var e in events)
        {
            CustomerBehaviour.Apply(state, e);
        }

        return state;
    }
}
