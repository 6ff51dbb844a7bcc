using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Models;
using CustomerGrains.Grains.Population;
using CustomerGrains.Grains.Prediction;
using CustomerGrains.Grains.Reconcile;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Models;

/// <summary>Best and worst customers are exact: after thousands of random events, every ranking equals a recount from the customers' own views.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RankingTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Rankings_by_every_measure_and_in_a_segment_equal_a_recount_from_customer_state_after_random_events()
    {
        var store = new TestStore(cluster);
        var now = new DateTimeOffset(cluster.Time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        await cluster.Grains.GetGrain<IPopulationGrain>(store.Id).SetModelsAsync(new StoreModels(
            new BgNbdParameters(0.243, 4.414, 0.793, 2.426), new GammaGammaParameters(6.25, 3.74, 15.44), ModelTimeUnit.Week,
            TimeSpan.FromDays(365), 0.1, 100, 30, now));
        await store.CreateSegmentAsync("regulars", "orders >= 3");

        // 3,000 random events over 200 customers: orders (some resent with the same order id), refunds, visits.
        var random = new Random(11);
        var events = new List<CustomerEvent>();
        for (var i = 0; i < 3000; i++)
        {
            var customer = $"c{random.Next(200):D3}";
            var at = now.AddDays(-random.Next(0, 400)).AddMinutes(random.Next(1440));
            events.Add(random.Next(10) switch
            {
                < 5 => Order($"e{i}", customer, at, Math.Round(random.NextDouble() * 200, 2), orderId: $"o{random.Next(2000)}"),
                5 => Refund($"e{i}", customer, at, Math.Round(random.NextDouble() * 50, 2)),
                _ => Visit($"e{i}", customer, at),
            });
        }

        foreach (var batch in events.Chunk(250))
        {
            await store.RecordAsync(batch);
        }

        var views = new List<CustomerView>();
        foreach (var id in events.Select(e => e.CustomerId).Distinct())
        {
            views.Add((await store.ViewAsync(id))!);
        }

        var buyers = views.Where(v => v.Traits.Orders > 0).ToList();
        Assert.True(buyers.Count > 150, $"{buyers.Count} buyers");
        var regulars = (await store.AllMembersAsync("regulars")).Select(m => m.CustomerId).ToHashSet();
        var ranking = cluster.Grains.GetGrain<IRankingGrain>(store.Id);
        var measures = new (string By, Func<CustomerView, double> Value)[]
        {
            ("revenue", v => v.Traits.Revenue),
            ("orders", v => v.Traits.Orders),
            ("p_alive", v => v.Prediction!.PAlive!.Value),
            ("clv", v => v.Prediction!.Clv!.Value),
            ("expected_orders_90d", v => v.Prediction!.ExpectedOrders90d!.Value),
        };
        foreach (var (by, value) in measures)
        {
            foreach (var descending in new[] { true, false })
            {
                foreach (var segment in new[] { null, "regulars" })
                {
                    var expected = buyers
                        .Where(v => segment is null || regulars.Contains(v.CustomerId))
                        .Select(v => (Id: v.CustomerId, Value: value(v)))
                        .OrderBy(r => descending ? -r.Value : r.Value).ThenBy(r => r.Id, StringComparer.Ordinal)
                        .ToList();
                    var paged = await AllPagesAsync(ranking, new RankingQuery(by, descending, segment, 37, null, null));
                    Assert.Equal(expected.Select(e => e.Id), paged.Select(p => p.CustomerId));
                    Assert.Equal(expected.Select(e => e.Value), paged.Select(p => p.Value), (a, b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(a)));
                }
            }
        }

        var report = await cluster.Grains.GetGrain<IReconcileGrain>(store.Id).ReconcileAsync();
        Assert.Empty(report.Rankings);
        Assert.True(report.Consistent);
    }

    [Fact]
    public async Task A_ranking_on_predictions_follows_the_orders_and_erasures_made_after_an_earlier_one()
    {
        var store = new TestStore(cluster);
        var now = new DateTimeOffset(cluster.Time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        await cluster.Grains.GetGrain<IPopulationGrain>(store.Id).SetModelsAsync(new StoreModels(
            new BgNbdParameters(0.243, 4.414, 0.793, 2.426), new GammaGammaParameters(6.25, 3.74, 15.44), ModelTimeUnit.Week,
            TimeSpan.FromDays(365), 0.1, 100, 30, now));
        await store.RecordAsync(
            Order("e1", "a", now.AddDays(-300), 50), Order("e2", "a", now.AddDays(-10), 70),
            Order("e3", "b", now.AddDays(-200), 20), Order("e4", "c", now.AddDays(-90), 30), Order("e5", "c", now.AddDays(-60), 30));
        var ranking = cluster.Grains.GetGrain<IRankingGrain>(store.Id);
        var query = new RankingQuery("clv", true, null, 10, null, null);
        Assert.Equal(["a", "b", "c"], (await ranking.RankAsync(query)).Items.Select(i => i.CustomerId).Order());

        // After that ranking, three days on (c's values from it are bounds now, not values): b orders again, d is a new
        // buyer, a is erased.
        cluster.Time.Advance(TimeSpan.FromDays(3));
        await store.RecordAsync(Order("e6", "b", now.AddDays(-1), 400), Order("e7", "d", now.AddDays(-5), 15));
        Assert.True(await store.EraseAsync("a"));

        var expected = new List<(string Id, double Clv)>();
        foreach (var id in new[] { "b", "c", "d" })
        {
            expected.Add((id, (await store.ViewAsync(id))!.Prediction!.Clv!.Value));
        }

        var items = await AllPagesAsync(ranking, query with { Limit = 1 });
        Assert.Equal(expected.OrderByDescending(e => e.Clv).Select(e => e.Id), items.Select(i => i.CustomerId));
        Assert.Equal(expected.OrderByDescending(e => e.Clv).Select(e => e.Clv), items.Select(i => i.Value), (a, b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(a)));
    }

    [Fact]
    public async Task Rankings_interleaved_with_new_orders_an_erasure_and_time_moving_each_equal_a_recount_from_customer_state()
    {
        var store = new TestStore(cluster);
        var start = new DateTimeOffset(cluster.Time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        await cluster.Grains.GetGrain<IPopulationGrain>(store.Id).SetModelsAsync(new StoreModels(
            new BgNbdParameters(0.243, 4.414, 0.793, 2.426), new GammaGammaParameters(6.25, 3.74, 15.44), ModelTimeUnit.Week,
            TimeSpan.FromDays(365), 0.1, 100, 30, start));
        await store.CreateSegmentAsync("regulars", "orders >= 3");

        // 80 customers with a history of orders over the last 300 days.
        var random = new Random(31);
        var customers = Enumerable.Range(0, 80).Select(i => $"c{i:D3}").ToList();
        await store.RecordAsync([.. Enumerable.Range(0, 300).Select(i =>
            Order($"h{i}", customers[random.Next(customers.Count)], start.AddDays(-random.Next(1, 300)).AddMinutes(random.Next(1440)), random.Next(1, 30) * 10))]);

        var ranking = cluster.Grains.GetGrain<IRankingGrain>(store.Id);
        var measures = new (string By, Func<CustomerView, double?> Value)[]
        {
            ("p_alive", v => v.Prediction?.PAlive),
            ("clv", v => v.Prediction?.Clv),
            ("expected_orders_90d", v => v.Prediction?.ExpectedOrders90d),
        };
        var compared = 0;
        for (var round = 0; round < 24; round++)
        {
            // Between two rounds of rankings: a few orders (some by new customers, some stamped up to 30 hours ahead),
            // in round 12 an erasure, and time moves on by up to 20 hours (or not at all).
            var now = cluster.Time.GetUtcNow();
            var batch = Enumerable.Range(0, random.Next(1, 8)).Select(i =>
            {
                var customer = random.Next(6) == 0 ? $"n{round}-{i}" : customers[random.Next(customers.Count)];
                var at = random.Next(5) == 0 ? now.AddMinutes(random.Next(1, 30 * 60)) : now.AddMinutes(-random.Next(0, 600));
                return Order($"r{round}-{i}", customer, at, random.Next(1, 30) * 10);
            }).ToList();
            await store.RecordAsync([.. batch]);
            customers.AddRange(batch.Select(e => e.CustomerId).Where(id => !customers.Contains(id)));
            if (round == 12)
            {
                Assert.True(await store.EraseAsync(customers[3]));
                customers.RemoveAt(3);
            }

            cluster.Time.Advance(TimeSpan.FromMinutes(random.Next(3) == 0 ? 0 : random.Next(1, 20 * 60)));

            var views = new List<CustomerView>();
            foreach (var id in customers)
            {
                if (await store.ViewAsync(id) is { Traits.Orders: > 0 } view)
                {
                    views.Add(view);
                }
            }

            var regulars = (await store.AllMembersAsync("regulars")).Select(m => m.CustomerId).ToHashSet();
            foreach (var (by, value) in measures)
            {
                var segment = random.Next(3) == 0 ? "regulars" : null;
                var expected = views
                    .Where(v => (segment is null || regulars.Contains(v.CustomerId)) && value(v) is not null)
                    .Select(v => (Id: v.CustomerId, Value: value(v)!.Value))
                    .OrderByDescending(r => r.Value).ThenBy(r => r.Id, StringComparer.Ordinal)
                    .ToList();
                var query = new RankingQuery(by, true, segment, random.Next(3, 15), null, null);

                // Every fourth round all pages, else the first.
                var (items, wanted) = round % 4 == 3
                    ? (await AllPagesAsync(ranking, query), expected)
                    : ([.. (await ranking.RankAsync(query)).Items], [.. expected.Take(query.Limit)]);

                Assert.Equal(wanted.Select(e => e.Id), items.Select(i => i.CustomerId));
                Assert.Equal(wanted.Select(e => e.Value), items.Select(i => i.Value), (a, b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(a)));
                compared++;
            }
        }

        Assert.Equal(72, compared);
    }

    [Fact]
    public async Task Predictions_need_a_fitted_model_and_a_segment_must_exist()
    {
        var store = new TestStore(cluster);
        await store.RecordAsync(Order("o1", "a", cluster.Time.GetUtcNow(), 10));
        var ranking = cluster.Grains.GetGrain<IRankingGrain>(store.Id);
        Assert.Contains("not fitted", (await ranking.RankAsync(new RankingQuery("clv", true, null, 10, null, null))).Error, StringComparison.Ordinal);
        Assert.Contains("no segment", (await ranking.RankAsync(new RankingQuery("revenue", true, "nope", 10, null, null))).Error, StringComparison.Ordinal);
        Assert.Contains("lookalike", (await ranking.RankAsync(new RankingQuery("lookalike:best", true, null, 10, null, null))).Error, StringComparison.Ordinal);
        Assert.Equal(["a"], (await ranking.RankAsync(new RankingQuery("revenue", true, null, 10, null, null))).Items.Select(i => i.CustomerId));
    }

    private static async Task<List<RankedCustomer>> AllPagesAsync(IRankingGrain ranking, RankingQuery query)
    {
        var all = new List<RankedCustomer>();
        while (true)
        {
            var page = await ranking.RankAsync(query);
            Assert.Null(page.Error);
            all.AddRange(page.Items);
            if (!page.More)
            {
                return all;
            }

            query = query with { AfterValue = page.Items[^1].Value, AfterId = page.Items[^1].CustomerId };
        }
    }
}
