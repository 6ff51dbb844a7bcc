using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Rules;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>What a customer's reads answer, with no grain: the view, a fresh evaluation, a draft rule.</summary>
public sealed class CustomerViewsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static readonly CompiledCatalog Catalog = TestCatalogs.Compile(
        [("buyers", "orders >= 1", null), ("recent-visitors", "count(visit, 7d) >= 1", null), ("loyal-visitors", "in_segment(\"recent-visitors\") and orders >= 1", null)], Now);

    [Fact]
    public void The_view_lists_the_segments_the_customer_was_decided_into_with_when_and_why()
    {
        var state = Decided(Visit("v1", "ana", Now.AddDays(-1)), Identify("i1", "ana", Now.AddDays(-2), ("country", "ES")));

        var view = CustomerViews.Of(state, "shop", "ana", Catalog, PopulationThresholds.Empty, Now);

        Assert.Equal(("ana", "ES"), (view.CustomerId, view.Profile["country"].Text));
        var segment = Assert.Single(view.Segments);
        Assert.Equal(("recent-visitors", Now, "event:v1"), (segment.Id, segment.EnteredAt, segment.Cause));
        Assert.Equal("prospect", view.Lifecycle);
        Assert.Equal(2, view.Traits.Events);
    }

    [Fact]
    public void A_fresh_evaluation_answers_for_now_whatever_was_decided_and_reads_segments_it_just_judged()
    {
        var state = Decided(Visit("v1", "ana", Now.AddDays(-1)), Order("o1", "ana", Now.AddDays(-1), 30));

        // Eight days on, nothing woke the customer: its memberships still say recent-visitors, a fresh evaluation does not.
        var fresh = CustomerViews.Evaluate(state, Catalog, PopulationThresholds.Empty, Now.AddDays(8));

        Assert.Equal(3, state.Memberships.Count);
        Assert.Equal(["buyers"], fresh.ToArray());
    }

    [Fact]
    public void A_draft_rule_reads_the_stored_memberships_for_in_segment()
    {
        var state = Decided(Visit("v1", "ana", Now.AddDays(-1)));

        Assert.True(CustomerViews.Matches(state, RuleCompiler.Compile("in_segment(\"recent-visitors\")"), Catalog, PopulationThresholds.Empty, Now.AddDays(30)));
        Assert.False(CustomerViews.Matches(state, RuleCompiler.Compile("orders >= 1"), Catalog, PopulationThresholds.Empty, Now));
    }

    private static CustomerState Decided(params CustomerEvent[] events)
    {
        var state = new CustomerState();
        CustomerDecisions.Record(state, "ana", [.. events], Catalog, PopulationThresholds.Empty, Now, new BehaviourOptions());
        return state;
    }
}
