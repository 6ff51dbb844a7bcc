using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Rules;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>A customer explains its place in a segment from its own state, at the engine clock's now.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SegmentExplanationTests(ClusterFixture cluster)
{
    private DateTimeOffset Now => cluster.Time.GetUtcNow();

    private Task<ExplanationLookup> ExplainAsync(TestStore store, string customer, string segment) =>
        cluster.Grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store.Id, customer)).ExplainAsync(segment);

    [Fact]
    public async Task A_member_and_a_non_member_are_explained_and_time_alone_changes_the_explanation()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("quiet-regulars", "count(visit, 30d) >= 2 and count(visit, 7d) == 0");
        await store.RecordAsync(
            Visit("a1", "ana", Now.AddDays(-10)), Visit("a2", "ana", Now.AddDays(-8)),
            Visit("b1", "bob", Now.AddDays(-10)), Visit("b2", "bob", Now.AddDays(-1)));

        var ana = (await ExplainAsync(store, "ana", "quiet-regulars")).Explanation!;
        Assert.Equal(("quiet-regulars", 1L, "ana", true, true, Now), (ana.Segment, ana.Version, ana.CustomerId, ana.Member, ana.Result, ana.At));
        Assert.Empty(ana.Failing);
        Assert.Equal(
            new[] { ("count(visit, 30d) >= 2", 2.0, true), ("count(visit, 7d) == 0", 0.0, true) },
            ana.Rule.Children.Select(c => (c.Clause, c.Value!.Number, c.Result)));

        var bob = (await ExplainAsync(store, "bob", "quiet-regulars")).Explanation!;
        Assert.Equal((false, false), (bob.Member, bob.Result));
        Assert.Equal(["count(visit, 7d) == 0"], bob.Failing.ToArray());
        Assert.Equal(1, bob.Rule.Children[1].Value!.Number);

        // Bob's last visit leaves the 7-day window: the explanation says so at once, and the membership follows when
        // his deadline wakes him.
        cluster.Time.Advance(TimeSpan.FromDays(7));
        var later = (await ExplainAsync(store, "bob", "quiet-regulars")).Explanation!;
        Assert.True(later.Result);
        Assert.Empty(later.Failing);
        Assert.Equal(0, later.Rule.Children[1].Value!.Number);
        Assert.Equal(Now, later.At);

        await store.WaitForMemberAsync("quiet-regulars", "bob", member: true);
        Assert.True((await ExplainAsync(store, "bob", "quiet-regulars")).Explanation!.Member);
    }

    [Fact]
    public async Task A_segment_read_with_in_segment_is_judged_for_the_customer_and_named_when_it_fails()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("buyers", "orders >= 1");
        await store.CreateSegmentAsync("spanish-buyers", "in_segment(\"buyers\") and profile.country == \"ES\"");
        await store.RecordAsync(
            Identify("i1", "ana", Now.AddDays(-2), ("country", "ES")), Order("o1", "ana", Now.AddDays(-1), 30),
            Identify("i2", "eva", Now.AddDays(-2), ("country", "ES")), Visit("v1", "eva", Now.AddDays(-1)));

        var ana = (await ExplainAsync(store, "ana", "spanish-buyers")).Explanation!;
        var eva = (await ExplainAsync(store, "eva", "spanish-buyers")).Explanation!;

        Assert.Equal((true, true), (ana.Member, ana.Result));
        Assert.Equal((false, false), (eva.Member, eva.Result));
        Assert.Equal(["in_segment(\"buyers\")"], eva.Failing.ToArray());
        var country = eva.Rule.Children[1];
        Assert.Equal(("profile.country == \"ES\"", ExplainedValueKind.Text, "ES", true), (country.Clause, country.Value!.Kind, country.Value.Text, country.Result));
    }

    [Fact]
    public async Task An_unknown_segment_or_customer_is_told_apart()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("buyers", "orders >= 1");
        await store.RecordAsync(Visit("v1", "ana", Now));

        Assert.False((await ExplainAsync(store, "ana", "nope")).SegmentExists);
        var nobody = await ExplainAsync(store, "nobody", "buyers");
        Assert.True(nobody.SegmentExists);
        Assert.Null(nobody.Explanation);
        Assert.False((await ExplainAsync(store, "nobody", "nope")).SegmentExists);
    }
}
