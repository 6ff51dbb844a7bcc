using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>A customer's membership history is its journal's changes read back, newest first, paged, with causes and versions.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MembershipHistoryTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Entries_and_exits_come_newest_first_with_their_causes_and_versions_a_page_at_a_time()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("buyers", "orders >= 1 and revenue > 0");
        var now = cluster.Time.GetUtcNow();
        await store.RecordAsync(Order("o1", "ann", now.AddHours(-3), 20, orderId: "A"));
        await store.RecordAsync(Refund("r1", "ann", now.AddHours(-2), null, orderId: "A"));
        await store.RecordAsync(Order("o2", "ann", now.AddHours(-1), 30, orderId: "B"));
        var ann = cluster.Grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store.Id, "ann"));

        var all = (await ann.HistoryAsync(new HistoryQuery("buyers", null, 0, 100)))!;

        Assert.Equal(
            [(true, 1L, "event:o2"), (false, 1L, "event:r1"), (true, 1L, "event:o1")],
            all.Items.Select(i => (i.Entered, i.Version ?? 0, i.Cause)));
        Assert.Null(all.NextSeq);
        Assert.Equal(now - TimeSpan.FromDays(7), all.HeldSince);

        // One at a time, the same.
        var paged = new List<HistoryItem>();
        var query = new HistoryQuery("buyers", null, 0, 1);
        while (true)
        {
            var page = (await ann.HistoryAsync(query))!;
            paged.AddRange(page.Items);
            if (page.NextSeq is not { } seq)
            {
                break;
            }

            query = query with { ThroughSeq = seq, ThroughIndex = page.NextIndex };
        }

        Assert.Equal(all.Items, paged);
        Assert.Null(await cluster.Grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store.Id, "nobody")).HistoryAsync(new HistoryQuery(null, null, 0, 10)));
    }
}
