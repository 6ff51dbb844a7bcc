using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Population;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>A store's retention purges customers once they have been inactive for its days, by time alone.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RetentionTests(ClusterFixture cluster)
{
    private DateTimeOffset Now => cluster.Time.GetUtcNow();

    [Fact]
    public async Task Customers_inactive_for_the_retention_are_previewed_then_purged_when_their_day_comes_and_activity_defers_it()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("all", "events >= 1");
        await store.RecordAsync(Visit("o1", "old", Now.AddDays(-40)), Visit("r1", "recent", Now.AddDays(-10)), Visit("b1", "busy", Now.AddDays(-12)));
        var preview = cluster.Grains.GetGrain<IPreviewGrain>(store.Id);

        // A dry run changes nothing.
        var dry = await preview.PreviewAsync(RetentionSettings.Rule(30), 10);
        Assert.Equal((1, 3), (dry.Count, dry.Evaluated));
        Assert.Equal(["old"], dry.Sample.ToArray());
        Assert.NotNull(await store.ViewAsync("old"));

        await cluster.Grains.GetGrain<IPopulationGrain>(store.Id).SetRetentionAsync(new RetentionSettings(30));

        // Already due: purged by the pass that follows a setting, not suppressed (its id may come back).
        await store.WaitForMemberAsync("all", "old", member: false);
        Assert.Null(await store.ViewAsync("old"));
        Assert.Equal(2, await store.CountAsync("all"));

        // Time alone: recent is due 30 days after its last visit; busy visits again before its day and is kept.
        cluster.Time.Advance(TimeSpan.FromDays(15));
        await store.RecordAsync(Visit("b2", "busy", Now));
        cluster.Time.Advance(TimeSpan.FromDays(5).Add(TimeSpan.FromMinutes(1)));
        await store.WaitForMemberAsync("all", "recent", member: false);
        Assert.Null(await store.ViewAsync("recent"));
        Assert.NotNull(await store.ViewAsync("busy"));
        Assert.Equal(["busy"], TestStore.Ids(await store.AllMembersAsync("all")));

        var back = await store.RecordAsync(Visit("o2", "old", Now));
        Assert.Equal(1, back.Accepted);
        Assert.Empty(back.SuppressedIds);
    }

    [Fact]
    public async Task A_window_longer_than_the_kept_days_counts_every_day_it_covers()
    {
        // The test cluster keeps daily totals for the default 800 days; this store's segment reads 1000.
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("loyal", "count(visit, 1000d) >= 3");
        await store.RecordAsync(Visit("v1", "kim", Now.AddDays(-950)), Visit("v2", "kim", Now.AddDays(-700)));

        // The next event prunes: the day 950 days back is within the store's longest window, so it stays.
        await store.RecordAsync(Visit("v3", "kim", Now));

        Assert.Equal(["kim"], TestStore.Ids(await store.AllMembersAsync("loyal")));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(0, "from 1")]
    [InlineData(36_601, "from 1")]
    public void A_retention_is_a_whole_number_of_days_or_none(int? days, string? problem)
    {
        var reason = new RetentionSettings(days).Problem();
        if (problem is null)
        {
            Assert.Null(reason);
        }
        else
        {
            Assert.Contains(problem, reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_customer_is_purged_exactly_its_inactive_days_after_it_was_last_seen()
    {
        var lastSeen = new DateTimeOffset(2026, 3, 1, 10, 30, 0, TimeSpan.Zero);
        Assert.Equal(lastSeen.AddDays(30), new RetentionSettings(30).PurgeAt(lastSeen));
        Assert.Null(RetentionSettings.None.PurgeAt(lastSeen));
        Assert.Null(new RetentionSettings(30).PurgeAt(null));
        Assert.Equal("days_since(last_seen) >= 30", RetentionSettings.Rule(30));
    }
}
