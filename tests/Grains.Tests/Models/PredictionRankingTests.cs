using CustomerGrains.Grains.Models;
using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Tests.Models;

/// <summary>
/// Rankings on predictions from an order of buyers by bound kept across requests: every answer equals a sort of every
/// buyer's value while buyers change, time passes and the models change; and a request allocates for what it computes,
/// not for every buyer.
/// </summary>
public sealed class PredictionRankingTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Measures = ["p_alive", "expected_orders_90d", "clv"];

    [Fact]
    public void Every_top_equals_a_sort_of_every_buyers_value_while_buyers_change_time_passes_and_models_change()
    {
        var random = new Random(23);
        var buyers = new Dictionary<string, Buyer>(StringComparer.Ordinal);
        for (var i = 0; i < 600; i++)
        {
            buyers[$"c{i:D4}"] = RandomBuyer(random, Start, existing: null);
        }

        var orders = Measures.ToDictionary(m => m, _ => new CandidateOrder());
        var models = Models(0.243, 4.414);
        var now = Start;
        var compared = 0;
        for (var step = 0; step < 120; step++)
        {
            // New orders of some buyers (a few stamped up to a day and a half ahead) and some new buyers; time moves.
            for (var i = 0; i < random.Next(0, 15); i++)
            {
                var id = $"c{random.Next(700):D4}";
                buyers[id] = RandomBuyer(random, now, buyers.GetValueOrDefault(id));
                foreach (var order in orders.Values)
                {
                    order.Changed(id);
                }
            }

            now += random.Next(4) == 0 ? TimeSpan.Zero : TimeSpan.FromMinutes(random.Next(1, 60 * 14));
            if (step == 80)
            {
                models = Models(0.3, 6);
            }

            foreach (var by in Measures)
            {
                var only = random.Next(4) == 0 ? buyers.Keys.Where(_ => random.Next(3) == 0).ToHashSet(StringComparer.Ordinal) : null;
                var count = random.Next(1, 40);
                var all = SortAll(buyers, new RankingMeasure(by, models), now, only);
                (double Value, string Id)? after = random.Next(3) == 0 && all.Count > 10 ? (all[5].Value, all[5].Id) : null;
                var expected = (after is null ? all : all.Skip(6)).Take(count).ToList();

                var top = PredictionRanking.Top(buyers, orders[by], new RankingMeasure(by, models), now, only, after, count);

                Assert.True(expected.SequenceEqual(top), $"step {step}, {by}, {count} after {after}: {string.Join(", ", top.Take(5))} … expected {string.Join(", ", expected.Take(5))} …");
                compared++;
            }
        }

        Assert.Equal(360, compared);
        Assert.All(orders.Values, o => Assert.NotEmpty(o.ByBound));
    }

    [Fact]
    public void A_request_after_the_first_allocates_for_what_it_computes_not_for_every_buyer()
    {
        var random = new Random(29);
        var buyers = new Dictionary<string, Buyer>(StringComparer.Ordinal);
        for (var i = 0; i < 20_000; i++)
        {
            buyers[$"c{i:D6}"] = RandomBuyer(random, Start, existing: null);
        }

        var models = Models(0.243, 4.414);
        foreach (var by in Measures)
        {
            var order = new CandidateOrder();
            PredictionRanking.Top(buyers, order, new RankingMeasure(by, models), Start, null, null, 101);

            // An hour later, after 50 buyers ordered again.
            for (var i = 0; i < 50; i++)
            {
                var id = $"c{random.Next(20_000):D6}";
                buyers[id] = RandomBuyer(random, Start.AddMinutes(30), buyers[id]);
                order.Changed(id);
            }

            var measure = new RankingMeasure(by, models);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var top = PredictionRanking.Top(buyers, order, measure, Start.AddHours(1), null, null, 101);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(SortAll(buyers, new RankingMeasure(by, models), Start.AddHours(1), null).Take(101), top);

            // Less than one reference per buyer: no array over all of them; and values computed for a few buyers only.
            Assert.True(allocated < 8 * buyers.Count, $"{by}: {allocated:N0} bytes for one request over {buyers.Count:N0} buyers");
            Assert.True(measure.Computed < buyers.Count / 20, $"{by}: {measure.Computed:N0} values computed for one request over {buyers.Count:N0} buyers");
        }
    }

    /// <summary>Every buyer's value at <paramref name="now"/>, sorted as a ranking is: the recount.</summary>
    private static List<(string Id, double Value)> SortAll(Dictionary<string, Buyer> buyers, RankingMeasure measure, DateTimeOffset now, HashSet<string>? only) =>
        [.. buyers
            .Where(b => only is null || only.Contains(b.Key))
            .Select(b => (b.Key, Summary: CustomerPotential.Summary(measure.Models, b.Value.Days, now), b.Value.Days))
            .Where(b => b.Summary is not null)
            .Select(b => (Id: b.Key, Value: measure.Of(b.Summary!.Value, b.Days)))
            .Where(r => double.IsFinite(r.Value))
            .OrderByDescending(r => r.Value).ThenBy(r => r.Id, StringComparer.Ordinal)];

    /// <summary>A buyer with one to six orders over the 400 days before <paramref name="now"/> (or its orders and a new one at most a day and a half after it).</summary>
    private static Buyer RandomBuyer(Random random, DateTimeOffset now, Buyer? existing)
    {
        var orders = existing?.Purchases.Orders?.Select(o => (o.At, o.Revenue)).ToList() ?? [];
        if (existing is null)
        {
            for (var i = random.Next(1, 7); i > 0; i--)
            {
                orders.Add((now.AddDays(-random.Next(1, 400)).AddMinutes(random.Next(1440)), random.Next(1, 20) * 10));
            }
        }
        else
        {
            orders.Add((now.AddMinutes(random.Next(-600, random.Next(5) == 0 ? 2160 : 1)), random.Next(1, 20) * 10));
        }

        return new Buyer(PurchaseHistory.OfOrders(PurchaseSummaries.Orders(orders)));
    }

    private static StoreModels Models(double r, double alpha) => new(
        new BgNbdParameters(r, alpha, 0.793, 2.426), new GammaGammaParameters(6.25, 3.74, 15.44), ModelTimeUnit.Week,
        TimeSpan.FromDays(365), 0.1, 100, 30, Start);
}
