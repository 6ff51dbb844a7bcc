using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Population;
using CustomerGrains.Grains.Prediction;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Models;

/// <summary>
/// Rankings, computed per request (a stateless worker: any silo, several at once). Revenue and orders are ordered by
/// the database on the purchase index; predictions are computed for every customer of the index from its purchase
/// days at this instant and the store's models, and the top of them kept — from the silo's in-memory copy of the index
/// (<see cref="PurchaseIndex"/>: brought up to date at each request, so as exact as reading the table); a lookalike score is asked of each
/// candidate customer (the segment's members, or every known customer) — exact, and as costly as that many calls.
/// Customers without orders have no row in the index: only lookalike rankings include them. Ties go by customer id.
/// </summary>
[StatelessWorker]
public sealed class RankingGrain(
    PurchaseRowReader purchases,
    PurchaseIndex index,
    MemberRowReader members,
    CustomerDirectoryReader customers,
    PopulationCache population,
    ILookalikeCases cases,
    [FromKeyedServices(EngineClock.Key)] TimeProvider time) : Grain, IRankingGrain
{
    private string Store => this.GetPrimaryKeyString();

    public async Task<RankingPage> RankAsync(RankingQuery query)
    {
        IReadOnlySet<string>? only = null;
        if (query.Segment is { } segmentId)
        {
            if (await GrainFactory.GetGrain<ISegmentCatalogGrain>(Store).GetAsync(segmentId) is not { } segment)
            {
                return new RankingPage([], false, $"no segment '{segmentId}'");
            }

            only = await members.MembersAsync(Store, segment.Definition.Uid);
        }

        (double, string)? after = query.AfterValue is { } value && query.AfterId is { } id ? (value, id) : null;
        if (query.By is "revenue" or "orders")
        {
            var rows = await purchases.TopAsync(Store, query.By == "revenue", query.Descending, after, query.Limit + 1, only);
            return Page(rows, query.Limit);
        }

        var ranked = new List<(string Id, double Value)>();
        if (query.By.StartsWith(RankingQuery.LookalikePrefix, StringComparison.Ordinal))
        {
            var lookalike = query.By[RankingQuery.LookalikePrefix.Length..];
            if ((await population.GetAsync(Store)).Lookalikes?.ContainsKey(lookalike) != true)
            {
                return new RankingPage([], false, $"no trained lookalike model '{lookalike}'");
            }

            await ForEachCandidatePageAsync(only, async ids =>
            {
                var scores = await cases.ScoreAsync(Store, ids, lookalike);
                for (var i = 0; i < ids.Count; i++)
                {
                    if (scores[i] is { } score)
                    {
                        ranked.Add((ids[i], score));
                    }
                }
            });
        }
        else
        {
            if ((await population.GetAsync(Store)).Models is not { } models)
            {
                return new RankingPage([], false, "the store's purchase models are not fitted yet (POST …/models/fit)");
            }

            var measure = new Measure(query.By, models);
            ranked = await index.ReadAsync(Store, buyers =>
            {
                // The instant of the ranking: taken once the index is current, so no commit before it is missing.
                var now = time.GetUtcNow();
                var values = new List<(string Id, double Value)>(only?.Count ?? buyers.Count);
                foreach (var (customerId, days) in buyers)
                {
                    // A prediction the model cannot make (not finite) is no value: the customer is left out, as the view shows none.
                    if ((only is null || only.Contains(customerId))
                        && CustomerPotential.Summary(models, days, now) is { } summary && measure.Of(summary, days) is var value && double.IsFinite(value))
                    {
                        values.Add((customerId, value));
                    }
                }

                return values;
            });
        }

        var order = Comparer<(string Id, double Value)>.Create((x, y) =>
        {
            var byValue = query.Descending ? y.Value.CompareTo(x.Value) : x.Value.CompareTo(y.Value);
            return byValue != 0 ? byValue : string.CompareOrdinal(x.Id, y.Id);
        });
        return Page(Top(ranked.Where(r => after is not { } cursor || order.Compare(r, (cursor.Item2, cursor.Item1)) > 0), order, query.Limit + 1), query.Limit);
    }

    /// <summary>The first <paramref name="count"/> in <paramref name="order"/>, in order: a heap of that many, not a sort of all.</summary>
    private static List<(string Id, double Value)> Top(IEnumerable<(string Id, double Value)> rows, IComparer<(string Id, double Value)> order, int count)
    {
        // The heap's root is the worst kept so far: the comparer is reversed.
        var kept = new PriorityQueue<(string Id, double Value), (string Id, double Value)>(count + 1, Comparer<(string Id, double Value)>.Create((x, y) => order.Compare(y, x)));
        foreach (var row in rows)
        {
            if (kept.Count < count)
            {
                kept.Enqueue(row, row);
            }
            else if (order.Compare(row, kept.Peek()) < 0)
            {
                kept.EnqueueDequeue(row, row);
            }
        }

        var top = new List<(string Id, double Value)>(kept.Count);
        while (kept.TryDequeue(out var row, out _))
        {
            top.Add(row);
        }

        top.Reverse();
        return top;
    }

    /// <summary>
    /// A prediction for every customer of the index: what depends only on (x, t_x, T) — P(alive), the expected orders, the
    /// CLV per unit of spend — is computed once per distinct history in the request (customers whose first and last
    /// purchase days and repeat count agree share it), then scaled by each customer's own expected spend.
    /// </summary>
    private sealed class Measure(string by, StoreModels models)
    {
        private readonly Dictionary<(int X, double Tx, double T), double> _perHistory = [];

        public double Of(RepeatSummary summary, PurchaseDay[] days)
        {
            if (!_perHistory.TryGetValue((summary.X, summary.Tx, summary.T), out var shared))
            {
                shared = by switch
                {
                    "p_alive" => CustomerPotential.PAlive(models, summary),
                    "expected_orders_90d" => CustomerPotential.ExpectedOrders(models, summary, CustomerPotential.NinetyDays),
                    _ => Clv.Of(models.BgNbd, 1, summary.X, summary.Tx, summary.T, models.ClvHorizon, models.AnnualDiscountRate, models.Unit),
                };
                _perHistory[(summary.X, summary.Tx, summary.T)] = shared;
            }

            return by is "p_alive" or "expected_orders_90d" ? shared : shared * CustomerPotential.ExpectedSpend(models, summary, days);
        }
    }

    private async Task ForEachCandidatePageAsync(IReadOnlySet<string>? only, Func<List<string>, Task> page)
    {
        if (only is not null)
        {
            foreach (var chunk in only.Order(StringComparer.Ordinal).Chunk(256))
            {
                await page([.. chunk]);
            }

            return;
        }

        await customers.ForEachPageAsync(Store, 256, async ids =>
        {
            await page(ids);
            return true;
        });
    }

    private static RankingPage Page(List<(string Id, double Value)> rows, int limit) =>
        new([.. rows.Take(limit).Select(r => new RankedCustomer(r.Id, r.Value))], rows.Count > limit);
}
