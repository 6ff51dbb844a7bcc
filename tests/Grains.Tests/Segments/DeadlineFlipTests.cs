using System.Globalization;
using CustomerGrains.Grains.Tests.Infrastructure;
using Orleans.Runtime;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Segments;

/// <summary>Time moves customers: windows expire with no event arriving, at the deadline.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DeadlineFlipTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_regular_visitor_silent_for_two_weeks_enters_at_the_deadline_and_leaves_when_the_visits_age_out()
    {
        var store = new TestStore(cluster);
        var start = cluster.Time.GetUtcNow();
        await store.CreateSegmentAsync("quiet-regulars", "count(visit, 90d) >= 6 and count(visit, 14d) == 0");
        var days = new[] { 50, 40, 30, 20, 10, 1 };
        await store.RecordAsync([.. days.Select(d => Visit($"v{d}", "reg", start.AddDays(-d)))]);
        Assert.Null((await store.MemberAsync("quiet-regulars", "reg")).Member);

        // The last visit (a day ago) leaves the 14-day window 13 days from the start.
        cluster.Time.SetUtcNow(start.AddDays(13).AddSeconds(-1));
        Assert.Null((await store.MemberAsync("quiet-regulars", "reg")).Member);

        cluster.Time.SetUtcNow(start.AddDays(13).AddMilliseconds(1));
        var entered = await store.WaitForMemberAsync("quiet-regulars", "reg", member: true);
        Assert.StartsWith("deadline:", entered!.Cause, StringComparison.Ordinal);
        Assert.True(entered.EnteredAt - start.AddDays(13) < TimeSpan.FromSeconds(1), $"entered at {entered.EnteredAt}");

        // The visit 50 days before the start leaves the 90-day window at day 40: five visits are not regular.
        cluster.Time.SetUtcNow(start.AddDays(40).AddMilliseconds(1));
        await store.WaitForMemberAsync("quiet-regulars", "reg", member: false);
    }

    [Fact]
    public async Task A_deadline_a_new_visit_pushes_later_wakes_the_customer_early_without_moving_it_and_moves_it_at_the_real_one()
    {
        var store = new TestStore(cluster);
        var start = cluster.Time.GetUtcNow();
        await store.CreateSegmentAsync("seen-this-week", "days_since(last_seen) < 7");
        await store.RecordAsync(Visit("v1", "mover", start.AddDays(-1)));
        var first = await store.StoredDeadlineAsync("mover");
        AssertAbout(start.AddDays(6), first);

        // The second visit moves the deadline to day 7; the stored one (like the shard's) stays where it was, a lower bound.
        await store.RecordAsync(Visit("v2", "mover", start));
        Assert.Equal(first, await store.StoredDeadlineAsync("mover"));

        // At day 6 the early wake finds nothing due (the customer stays) and registers the real deadline.
        cluster.Time.SetUtcNow(first.AddMilliseconds(1));
        var limit = DateTime.UtcNow.AddSeconds(20);
        DateTimeOffset real;
        while ((real = await store.StoredDeadlineAsync("mover")) == first)
        {
            Assert.True(DateTime.UtcNow < limit, "the early wake did not register the real deadline");
            await Task.Delay(10);
        }

        AssertAbout(start.AddDays(7), real);
        Assert.NotNull((await store.MemberAsync("seen-this-week", "mover")).Member);

        cluster.Time.SetUtcNow(real.AddMilliseconds(1));
        var left = await store.WaitForMemberAsync("seen-this-week", "mover", member: false);
        Assert.Null(left);
    }

    [Fact]
    public async Task A_deactivated_customer_is_still_woken_at_its_deadline()
    {
        var store = new TestStore(cluster);
        var start = cluster.Time.GetUtcNow();
        await store.CreateSegmentAsync("this-week", "count(visit, 7d) >= 1");
        await store.RecordAsync(Visit("v1", "sleeper", start));
        Assert.NotNull((await store.MemberAsync("this-week", "sleeper")).Member);

        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        cluster.Time.SetUtcNow(start.AddDays(7).AddMilliseconds(1));

        await store.WaitForMemberAsync("this-week", "sleeper", member: false);
        Assert.Empty(TestStore.Own((await store.ViewAsync("sleeper"))!.Segments));
    }

    [Fact]
    public async Task Lifecycle_stages_move_with_time_and_rules_can_use_them()
    {
        var store = new TestStore(cluster);
        var start = cluster.Time.GetUtcNow();
        await store.CreateSegmentAsync("at-risk", "lifecycle == \"at_risk\"");
        await store.RecordAsync(Order("o1", "lina", start.AddDays(-60), 30), Order("o2", "lina", start.AddDays(-20), 30));
        Assert.Equal("active", (await store.ViewAsync("lina"))!.Lifecycle);
        Assert.Null((await store.MemberAsync("at-risk", "lina")).Member);

        // The last order was 20 days before the start: at risk once 90 days have passed since it, and her deadline says so.
        AssertAbout(start.AddDays(70), await store.StoredDeadlineAsync("lina"));
        cluster.Time.SetUtcNow(start.AddDays(70).AddSeconds(1));
        var member = await store.WaitForMemberAsync("at-risk", "lina", member: true);

        // Time alone moved her: her deadline's wake, or, when it comes first, the store's reclassification (her orders
        // changed the population statistics, and a pass over the store follows a moment later, in real time).
        Assert.True(
            member!.Cause.StartsWith("deadline:", StringComparison.Ordinal) || member.Cause == "segment:at-risk:v1",
            $"moved by {member.Cause}, not by time");
        Assert.Equal("at_risk", (await store.ViewAsync("lina"))!.Lifecycle);
    }

    [Fact]
    public async Task A_customer_enters_an_age_list_segment_at_midnight_of_the_birthday_with_no_event()
    {
        var store = new TestStore(cluster);
        var start = cluster.Time.GetUtcNow();
        var birthday = new DateTimeOffset(start.UtcDateTime.Date.AddDays(3), TimeSpan.Zero);
        if (birthday is { Month: 2, Day: 29 })
        {
            birthday = birthday.AddDays(1);
        }

        await store.CreateSegmentAsync("early-thirties", "profile.age in [30, 31]");
        await store.RecordAsync(Identify("i1", "ana", start, ("birthDate", birthday.AddYears(-30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
        Assert.Null((await store.MemberAsync("early-thirties", "ana")).Member);
        AssertAbout(birthday, await store.StoredDeadlineAsync("ana"));

        cluster.Time.SetUtcNow(birthday.AddMilliseconds(1));
        var entered = await store.WaitForMemberAsync("early-thirties", "ana", member: true);
        Assert.StartsWith("deadline:", entered!.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_customer_leaves_when_the_days_since_its_last_visit_pass_a_limit_its_profile_sets()
    {
        var store = new TestStore(cluster);
        var start = cluster.Time.GetUtcNow();
        await store.CreateSegmentAsync("within-limit", "days_since(last_seen) between 0 and profile.limit");
        await store.RecordAsync(Identify("i1", "lea", start.AddDays(-1), ("limit", "3")));
        Assert.NotNull((await store.MemberAsync("within-limit", "lea")).Member);

        // Seen a day before the start: three days have passed two days from the start, and one tick later are past.
        AssertAbout(start.AddDays(2), await store.StoredDeadlineAsync("lea"));
        cluster.Time.SetUtcNow(start.AddDays(2).AddMilliseconds(1));
        await store.WaitForMemberAsync("within-limit", "lea", member: false);
    }

    [Fact]
    public async Task A_segment_of_those_not_in_a_windowed_segment_moves_when_that_segment_does_with_no_event()
    {
        var store = new TestStore(cluster);
        var start = cluster.Time.GetUtcNow();
        await store.CreateSegmentAsync("this-week-visitors", "count(visit, 7d) >= 1");
        await store.CreateSegmentAsync("gone-quiet", "not in_segment(\"this-week-visitors\") and count(visit, 90d) >= 1");
        await store.RecordAsync(Visit("v1", "quinn", start));
        Assert.Null((await store.MemberAsync("gone-quiet", "quinn")).Member);

        cluster.Time.SetUtcNow(start.AddDays(7).AddMilliseconds(1));
        var entered = await store.WaitForMemberAsync("gone-quiet", "quinn", member: true);
        Assert.StartsWith("deadline:", entered!.Cause, StringComparison.Ordinal);
        Assert.Null((await store.MemberAsync("this-week-visitors", "quinn")).Member);
    }

    [Fact]
    public async Task Deadlines_survive_restarts_of_every_silo()
    {
        var store = new TestStore(cluster);
        var start = cluster.Time.GetUtcNow();
        await store.CreateSegmentAsync("fortnight", "count(visit, 14d) >= 1");
        await store.RecordAsync([.. Enumerable.Range(0, 20).Select(i => Visit($"v{i}", $"r{i:D2}", start))]);
        Assert.Equal(20, await store.CountAsync("fortnight"));

        // Every silo goes down and comes back (one at a time): the deadlines live in stored rows.
        foreach (var silo in cluster.Cluster.Silos.ToList())
        {
            await cluster.Cluster.RestartSiloAsync(silo);
        }

        cluster.Time.SetUtcNow(start.AddDays(14).AddMilliseconds(1));
        var limit = DateTime.UtcNow.AddSeconds(60);
        while (await store.CountAsync("fortnight") != 0)
        {
            Assert.True(DateTime.UtcNow < limit, "customers were not moved at their deadlines after the restarts");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Every_store_starts_with_lifecycle_segments_it_can_edit()
    {
        var store = new TestStore(cluster);
        var start = cluster.Time.GetUtcNow();
        await store.RecordAsync(Order("o1", "fresh", start, 20), Visit("v1", "browser", start));
        var catalog = cluster.Grains.GetGrain<Grains.Segments.ISegmentCatalogGrain>(store.Id);
        var limit = DateTime.UtcNow.AddSeconds(20);
        while ((await catalog.ListAsync()).Count(s => s.Definition.Id.StartsWith("lifecycle-", StringComparison.Ordinal)) < 6)
        {
            Assert.True(DateTime.UtcNow < limit, "the lifecycle segments were not created");
            await Task.Delay(10);
        }

        await store.WaitForBackfillAsync("lifecycle-churned");
        Assert.Equal(["fresh"], TestStore.Ids(await WaitForMembersAsync(store, "lifecycle-new", 1)));
        Assert.Equal(["browser"], TestStore.Ids(await WaitForMembersAsync(store, "lifecycle-prospect", 1)));

        // A store's own idea of "new": first ordered within 30 days and spent at least 50.
        await store.UpdateSegmentAsync("lifecycle-new", "lifecycle == \"new\" and revenue >= 50");
        Assert.Empty(await store.AllMembersAsync("lifecycle-new"));
    }

    private static async Task<List<Grains.Segments.SegmentMember>> WaitForMembersAsync(TestStore store, string segment, int count)
    {
        var limit = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var members = await store.AllMembersAsync(segment);
            if (members.Count == count)
            {
                return members;
            }

            Assert.True(DateTime.UtcNow < limit, $"{segment} has {members.Count} members");
            await Task.Delay(10);
        }
    }

    /// <summary>A deadline falls just after the instant its rule's boundary is crossed.</summary>
    private static void AssertAbout(DateTimeOffset boundary, DateTimeOffset due) =>
        Assert.True(due >= boundary && due - boundary < TimeSpan.FromSeconds(1), $"due at {due:O}, expected just after {boundary:O}");
}
