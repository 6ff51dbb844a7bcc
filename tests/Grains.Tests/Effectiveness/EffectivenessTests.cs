using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Effectiveness;
using CustomerGrains.Grains.Feed;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Effectiveness;

/// <summary>
/// Stats and flows equal a recount written here from what a client sees: the change feed's pages (replayed from the
/// start, since a fresh store's feed holds every change), the customers' own views, and the orders the test sent.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class EffectivenessTests(ClusterFixture cluster)
{
    private const string Small = "small";

    [Fact]
    public async Task Stats_and_flows_equal_a_recount_from_the_feed_after_three_days_of_random_orders_refunds_and_visits()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync(Small, "revenue > 0 and revenue < 100", holdout: 30);
        await store.CreateSegmentAsync("big", "revenue >= 100");
        await store.CreateSegmentAsync("lookers", "orders == 0 and count(visit, 365d) >= 1");
        var start = cluster.Time.GetUtcNow();

        // Every two hours for three days: a batch of orders, whole-order refunds and visits over 40 customers.
        var random = new Random(17);
        var orders = new List<(string Customer, string OrderId, DateTimeOffset At, double Revenue)>();
        var customers = Enumerable.Range(0, 40).Select(i => $"c{i:D2}").ToArray();
        for (var step = 0; step < 36; step++)
        {
            cluster.Time.Advance(TimeSpan.FromHours(2));
            var now = cluster.Time.GetUtcNow();
            var batch = new List<CustomerEvent>();
            for (var i = 0; i < 15; i++)
            {
                var customer = customers[random.Next(customers.Length)];
                var at = now.AddMinutes(-random.Next(0, 90));
                var id = $"e{step}-{i}";
                var theirs = orders.Where(o => o.Customer == customer).ToList();
                switch (random.Next(5))
                {
                    case 0 or 1:
                        var revenue = random.Next(10, 70);
                        orders.Add((customer, $"o{step}-{i}", at, revenue));
                        batch.Add(Order(id, customer, at, revenue, orderId: $"o{step}-{i}"));
                        break;
                    case 2 when theirs.Count > 0:
                        batch.Add(Refund(id, customer, at, null, orderId: theirs[random.Next(theirs.Count)].OrderId));
                        break;
                    default:
                        batch.Add(Visit(id, customer, at));
                        break;
                }
            }

            await store.RecordAsync([.. batch]);
        }

        var end = cluster.Time.GetUtcNow();
        var feed = await ReadFeedAsync(store.Id);
        var small = feed.Where(c => c.Segment == Small).ToList();
        Assert.NotEmpty(small);

        // The feed replayed from the start ends with each customer's own view.
        foreach (var customer in customers)
        {
            var view = (await store.ViewAsync(customer))?.Segments ?? [];
            Assert.Equal(view.Any(s => s.Id == Small), MembersAt(small, end, inclusive: true).Contains(customer));
            if (view.FirstOrDefault(s => s.Id == Small) is { } segment)
            {
                Assert.Equal(Holdout.IsControl(store.Id, Small, customer, 30), segment.Holdout);
            }
        }

        var effectiveness = cluster.Grains.GetGrain<IEffectivenessGrain>(store.Id);

        // By hour: each hour's size at its end, entries and exits, and the orders and revenue of those who were members
        // when the hour began (refunds not subtracted).
        var hourly = (await effectiveness.StatsAsync(new StatsQuery(Small, start, null, StatsInterval.Hour, 1))).Stats!;
        Assert.Equal((Small, 1L, 30), (hourly.Segment, hourly.Version, hourly.Holdout));
        Assert.Equal(73, hourly.Intervals.Length);
        foreach (var interval in hourly.Intervals)
        {
            var bought = OrdersOfMembers(orders, small, interval);
            Assert.Equal(
                (interval.Start, MembersAt(small, interval.End).Count, Count(small, interval, entered: true), Count(small, interval, entered: false), bought.Count, bought.Sum(o => o.Revenue)),
                (interval.Start, (int)interval.Size, interval.Entered, interval.Exited, (int)interval.Orders!.Value, Math.Round(interval.Revenue!.Value, 6)));
            Assert.Null(interval.PurchaseDays);
        }

        Assert.Contains(hourly.Intervals, i => i.Entered > 0 && i.Exited > 0);
        Assert.Contains(hourly.Intervals, i => i.Orders > 0);

        // By day: also the purchase days of those who were members when each day began.
        var daily = (await effectiveness.StatsAsync(new StatsQuery(Small, start, null, StatsInterval.Day, 1))).Stats!;
        foreach (var interval in daily.Intervals)
        {
            var bought = OrdersOfMembers(orders, small, interval);
            Assert.Equal(
                (interval.Start, MembersAt(small, interval.End).Count, bought.Count, bought.Select(o => o.Customer).Distinct().Count(), bought.Sum(o => o.Revenue)),
                (interval.Start, (int)interval.Size, (int)interval.Orders!.Value, (int)interval.PurchaseDays!.Value, Math.Round(interval.Revenue!.Value, 6)));
        }

        Assert.Contains(daily.Intervals, i => i.Orders > i.PurchaseDays);

        // Conversion: each customer's first entry in the range, an order placed after it and at most a day later; the
        // group is what the feed said of that entry.
        var entries = small.Where(c => c.Entered && c.At >= daily.Range.From && c.At < daily.Range.To)
            .GroupBy(c => c.CustomerId).Select(g => g.First()).ToList();
        foreach (var (group, holdout) in new[] { (daily.Conversion.Treated, false), (daily.Conversion.Control, true) })
        {
            var entered = entries.Where(e => e.Holdout == holdout).ToList();
            var converted = entered.Count(e => orders.Any(o => o.Customer == e.CustomerId && o.At > e.At && o.At <= e.At.AddDays(1)));
            var open = entered.Count(e => end < e.At.AddDays(1));
            Assert.Equal((entered.Count, converted, open), ((int)group.Entered, (int)group.Converted, (int)group.WindowOpen));
            Assert.True(group.Entered > 0, $"nobody entered as {(holdout ? "control" : "treated")}");
        }

        Assert.Equal(daily.Conversion.Treated.Rate - daily.Conversion.Control.Rate, daily.Conversion.Difference?.Value);

        // Flows from the second half-day on: who left one segment and joined another.
        var from = start.AddHours(12);
        string[] segments = [Small, "big", "lookers"];
        var flows = (await effectiveness.FlowsAsync(new FlowsQuery([.. segments], from, null))).Flows!;
        Assert.Equal((from, end), (flows.Range.From, flows.Range.To));
        foreach (var flow in flows.Flows)
        {
            var (a, b) = (feed.Where(c => c.Segment == flow.From).ToList(), feed.Where(c => c.Segment == flow.To).ToList());
            var moved = customers.Count(c =>
                MembersAt(a, from).Contains(c) && !MembersAt(b, from).Contains(c)
                && MembersAt(b, end, inclusive: true).Contains(c) && !MembersAt(a, end, inclusive: true).Contains(c));
            Assert.True(moved == flow.Customers, $"{flow.From} → {flow.To}: {flow.Customers}, recounted {moved}");
        }

        Assert.Equal(6, flows.Flows.Length);
        Assert.Contains(flows.Flows, f => f.Customers > 0);
    }

    [Fact]
    public async Task An_unknown_segment_is_not_found_and_a_range_before_the_feeds_retention_is_refused()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync(Small, "revenue > 0");
        var effectiveness = cluster.Grains.GetGrain<IEffectivenessGrain>(store.Id);
        var now = cluster.Time.GetUtcNow();

        Assert.Contains("no segment 'nope'", (await effectiveness.StatsAsync(new StatsQuery("nope", null, null, StatsInterval.Day, 7))).NotFound, StringComparison.Ordinal);
        Assert.Contains("no segment 'nope'", (await effectiveness.FlowsAsync(new FlowsQuery([Small, "nope"], null, null))).NotFound, StringComparison.Ordinal);
        Assert.Equal("from", (await effectiveness.StatsAsync(new StatsQuery(Small, now.AddDays(-8), null, StatsInterval.Day, 7))).Problem?.Field);
        Assert.Equal("from", (await effectiveness.FlowsAsync(new FlowsQuery([Small, "lifecycle-active"], now.AddDays(-8), null))).Problem?.Field);

        var empty = (await effectiveness.StatsAsync(new StatsQuery(Small, null, null, StatsInterval.Day, 7))).Stats!;
        Assert.Equal(7, empty.Intervals.Length);
        Assert.All(empty.Intervals, i => Assert.Equal((0L, 0L, 0L, 0L, 0L, 0.0), (i.Size, i.Entered, i.Exited, i.Orders!.Value, i.PurchaseDays!.Value, i.Revenue!.Value)));
        Assert.Null(empty.Conversion.Treated.Rate);
    }

    [Fact]
    public async Task The_feed_marks_the_holdout_share_of_a_segments_changes_as_its_hash_says()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("buyers", "orders >= 1", holdout: 50);
        var now = cluster.Time.GetUtcNow();
        await store.RecordAsync([.. Enumerable.Range(0, 40).Select(i => Order($"e{i}", $"c{i}", now, 10))]);

        var changes = (await ReadFeedAsync(store.Id)).Where(c => c.Segment == "buyers").ToList();

        Assert.Equal(40, changes.Count);
        Assert.All(changes, c => Assert.Equal(Holdout.IsControl(store.Id, "buyers", c.CustomerId, 50), c.Holdout));
        Assert.Contains(changes, c => c.Holdout);
        Assert.Contains(changes, c => !c.Holdout);
    }

    private static async Task<List<FeedChange>> ReadFeedAsync(string store, IGrainFactory grains)
    {
        var feed = grains.GetGrain<IChangeFeedGrain>(store);
        var all = new List<FeedChange>();
        ChangeCursor? after = null;
        while (true)
        {
            var page = await feed.ReadAsync(new ChangeQuery(after, null, 500, TimeSpan.Zero));
            all.AddRange(page.Items);
            if (page.Items.Count == 0)
            {
                return all;
            }

            after = page.Next;
        }
    }

    private Task<List<FeedChange>> ReadFeedAsync(string store) => ReadFeedAsync(store, cluster.Grains);

    /// <summary>The members after every change before <paramref name="at"/> (and at it, when inclusive), from an empty segment.</summary>
    private static HashSet<string> MembersAt(IEnumerable<FeedChange> changes, DateTimeOffset at, bool inclusive = false)
    {
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes.Where(c => c.At < at || (inclusive && c.At == at)))
        {
            Assert.True(change.Entered ? members.Add(change.CustomerId) : members.Remove(change.CustomerId), $"a change that flips nothing: {change}");
        }

        return members;
    }

    /// <summary>The orders placed in the interval by the customers who were members when it began.</summary>
    private static List<(string Customer, string OrderId, DateTimeOffset At, double Revenue)> OrdersOfMembers(
        IEnumerable<(string Customer, string OrderId, DateTimeOffset At, double Revenue)> orders, IEnumerable<FeedChange> changes, IntervalStats interval)
    {
        var members = MembersAt(changes, interval.Start);
        return [.. orders.Where(o => members.Contains(o.Customer) && o.At >= interval.Start && o.At < interval.End)];
    }

    private static long Count(IEnumerable<FeedChange> changes, IntervalStats interval, bool entered) =>
        changes.Count(c => c.Entered == entered && c.At >= interval.Start && c.At < interval.End);
}
