using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Storage;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>The customer's decisions and its replay, with no grain and no database.</summary>
public sealed class CustomerDecisionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static readonly CompiledCatalog Catalog = TestCatalogs.Compile(
        [("buyers", "orders >= 1", null), ("big", "revenue > 100", null), ("recent-visitors", "count(visit, 7d) >= 1", null)], Now);

    [Fact]
    public void A_request_returns_the_events_it_applied_and_the_changes_it_made_with_the_newest_event_as_cause()
    {
        var state = new CustomerState();

        var decision = Record(state, Visit("v1", "ana", Now.AddDays(-1)), Order("o1", "ana", Now.AddHours(-1), 40), Visit("v1", "ana", Now.AddDays(-1)));

        Assert.Equal(["v1", "o1"], decision.Accepted.Select(e => e.Id));
        Assert.True(decision.HasPurchases);
        Assert.Equal(["buyers", "recent-visitors"], Ids(decision));
        Assert.All(decision.Changes, c => Assert.Equal(("event:o1", true), (c.Change.Cause, c.Change.IsMember)));
        Assert.Equal([1L, 2L], decision.Changes.Select(c => c.Change.Decision).Order());
        Assert.Equal(Now.AddDays(6), decision.NextDeadline);
        Assert.Equal(2, state.Memberships.Count);
    }

    [Fact]
    public void A_retry_decides_nothing_and_is_not_journaled()
    {
        var state = new CustomerState();
        Record(state, Order("o1", "ana", Now, 40));

        var again = Record(state, Order("o1", "ana", Now, 40));

        Assert.Same(CustomerDecision.Nothing, again);
        Assert.False(again.IsJournaled);
        Assert.Single(state.Orders);
    }

    [Fact]
    public void Time_alone_moves_a_customer_out_with_the_deadline_as_cause()
    {
        var state = new CustomerState();
        Record(state, Visit("v1", "ana", Now));
        var due = Now.AddDays(7);

        var decision = CustomerDecisions.Reevaluate(state, "ana", Catalog, PopulationThresholds.Empty, due, _ => CustomerDecisions.DeadlineCause(due));

        var change = Assert.Single(decision.Changes).Change;
        Assert.Equal((false, "deadline:2026-11-30T10:00:00.000Z", 2L), (change.IsMember, change.Cause, change.Decision));
        Assert.Empty(decision.Accepted);
        Assert.True(decision.IsJournaled);
    }

    [Fact]
    public void A_customer_never_seen_decides_nothing_on_a_reevaluation()
    {
        var decision = CustomerDecisions.Reevaluate(new CustomerState(), "ghost", Catalog, PopulationThresholds.Empty, Now, _ => "x");

        Assert.False(decision.IsJournaled);
        Assert.Null(decision.NextDeadline);
    }

    [Fact]
    public void An_erasure_leaves_every_segment_numbered_on_from_the_last_decision()
    {
        var state = new CustomerState();
        Record(state, Order("o1", "ana", Now, 400));

        var leaves = CustomerDecisions.Erase(state, "ana", Now);

        Assert.Equal(2, leaves.Length);
        Assert.All(leaves, l => Assert.Equal((false, "erased"), (l.Change.IsMember, l.Change.Cause)));
        Assert.Equal([3L, 4L], leaves.Select(l => l.Change.Decision).Order());
        Assert.Equal(4, state.Decisions);
    }

    [Fact]
    public void Replaying_the_journal_rebuilds_the_memberships_and_resends_every_replayed_change()
    {
        var buyers = Catalog.Find("buyers")!;
        var big = Catalog.Find("big")!;
        var entries = new (long, JournalEntry)[]
        {
            (10, new JournalEntry([Order("o1", "ana", Now, 400)], [Row(buyers, true, 1), Row(big, true, 2)], Erased: false)),
            (11, new JournalEntry([Refund("r1", "ana", Now, 350)], [Row(big, false, 3)], Erased: false)),
        };

        var state = entries.Aggregate(new CustomerState(), (s, e) => JournalReplay.Apply(s, e.Item1, e.Item2, new BehaviourOptions()));

        Assert.Equal([buyers.Key], state.Memberships.Keys);
        Assert.Equal((3L, 11L, true), (state.Decisions, state.JournalSeq, state.Registered));
        Assert.Equal([(buyers.Key, true), (big.Key, false)], state.Outbox.Select(o => (o.Key, o.Value.IsMember)));
        Assert.Equal(50, CustomerBehaviour.ComputeTraits(state, Now).Revenue);
    }

    [Fact]
    public void Replaying_an_erasure_starts_from_nothing_but_keeps_counting_decisions()
    {
        var buyers = Catalog.Find("buyers")!;
        var state = JournalReplay.Apply(new CustomerState(), 1, new JournalEntry([Order("o1", "ana", Now, 40)], [Row(buyers, true, 1)], Erased: false), new BehaviourOptions());

        state = JournalReplay.Apply(state, 2, new JournalEntry([], [], Erased: true, Decisions: 2), new BehaviourOptions());

        Assert.False(state.Exists);
        Assert.False(state.Registered);
        Assert.Empty(state.Memberships);
        Assert.Equal(2, state.Decisions);
    }

    private static CustomerDecision Record(CustomerState state, params CustomerEvent[] events) =>
        CustomerDecisions.Record(state, "ana", [.. events], Catalog, PopulationThresholds.Empty, Now, new BehaviourOptions());

    private static string[] Ids(CustomerDecision decision) =>
        [.. decision.Changes.Select(c => Catalog.FindByKey(c.Key)!.Definition.Id).Order(StringComparer.Ordinal)];

    private static MemberRow Row(CompiledSegment segment, bool member, long decision) =>
        new(segment.Definition.Id, 0, new MembershipChange("ana", segment.Definition.Uid, member, Now, "event:x", decision));
}
