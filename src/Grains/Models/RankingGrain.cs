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
/// (<see cref="PurchaseIndex"/>: brought up to date at each request, so as exact as reading the table), and, from the top
/// down, only for customers whose upper bound can still reach the kept ones: the value an earlier ranking computed (these
/// predictions only fall while a history stays the same, <see cref="Buyer.AtMost"/>) or a cheap bound (<see cref="Clv.AtMost"/>); a lookalike score is asked of each
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

        var order = Comparer<(string Id, double Value)>.Create((x, y) =>
        {
            var byValue = query.Descending ? y.Value.CompareTo(x.Value) : x.Value.CompareTo(y.Value);
            return byValue != 0 ? byValue : string.CompareOrdinal(x.Id, y.Id);
        });
        bool Beyond((string Id, double Value) row) => after is not { } cursor || order.Compare(row, (cursor.Item2, cursor.Item1)) > 0;
        var kept = new Kept(order, query.Limit + 1);
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
                    if (scores[i] is { } score && Beyond((ids[i], score)))
                    {
                        kept.Offer((ids[i], score));
                    }
                }
            });
            return Page(kept.InOrder(), query.Limit);
        }

        if ((await population.GetAsync(Store)).Models is not { } models)
        {
            return new RankingPage([], false, "the store's purchase models are not fitted yet (POST …/models/fit)");
        }

        var measure = new Measure(query.By, models);
        await index.ReadAsync(Store, buyers =>
        {
            // The instant of the ranking: taken once the index is current, so no commit before it is missing.
            var now = time.GetUtcNow();
            var candidates = new List<(Candidate, double)>(only?.Count ?? buyers.Count);
            foreach (var (customerId, buyer) in buyers)
            {
                if (only is not null && !only.Contains(customerId))
                {
                    continue;
                }

                // Descending, each with an upper bound: what an earlier ranking computed (exact then, a bound now) or, failing
                // that, the cheap bound; ascending, none (every value is computed).
                var bound = double.PositiveInfinity;
                RepeatSummary? summary = null;
                if (query.Descending && buyer.AtMost(measure.Index, models, now) is { } remembered)
                {
                    bound = Math.Min(remembered, measure.Ceiling);
                }
                else if ((summary = CustomerPotential.Summary(models, buyer.Days, now)) is { } s)
                {
                    bound = query.Descending ? measure.AtMost(s, buyer.Days) : double.PositiveInfinity;
                }
                else
                {
                    continue;
                }

                candidates.Add((new Candidate(customerId, buyer, summary), bound));
            }

            // From the highest bound down (ties by id, as the ranking breaks them): once as many are kept as asked and the
            // next candidate at its bound would still rank after the worst kept, no one left can enter, and their exact
            // values (the costly part) are never computed. A heap, not a sort of all.
            var byBound = new PriorityQueue<Candidate, (string Id, double Value)>(
                candidates.Select(c => (c.Item1, (c.Item1.Id, c.Item2))), query.Descending ? order : Comparer<(string Id, double Value)>.Create((_, _) => 0));
            while (byBound.TryDequeue(out var candidate, out var bound))
            {
                if (query.Descending && kept.Full && order.Compare(bound, kept.Worst) > 0)
                {
                    break;
                }

                if ((candidate.Summary ?? CustomerPotential.Summary(models, candidate.Buyer.Days, now)) is not { } summary)
                {
                    continue;
                }

                // A prediction the model cannot make (not finite) is no value: the customer is left out, as the view shows none.
                var value = measure.Of(summary, candidate.Buyer.Days);
                if (!double.IsFinite(value))
                {
                    continue;
                }

                candidate.Buyer.Remember(measure.Index, models, now, value);
                if (Beyond((candidate.Id, value)))
                {
                    kept.Offer((candidate.Id, value));
                }
            }

            return true;
        });
        return Page(kept.InOrder(), query.Limit);
    }

    private readonly record struct Candidate(string Id, Buyer Buyer, RepeatSummary? Summary);

    /// <summary>The first <paramref name="count"/> rows offered, in <paramref name="order"/>: a heap of that many, not a sort of all.</summary>
    private sealed class Kept(IComparer<(string Id, double Value)> order, int count)
    {
        // The heap's root is the worst kept so far: the comparer is reversed.
        private readonly PriorityQueue<(string Id, double Value), (string Id, double Value)> _heap =
            new(count + 1, Comparer<(string Id, double Value)>.Create((x, y) => order.Compare(y, x)));

        public bool Full => _heap.Count >= count;

        public (string Id, double Value) Worst => _heap.Peek();

        public void Offer((string Id, double Value) row)
        {
            if (_heap.Count < count)
            {
                _heap.Enqueue(row, row);
            }
            else if (order.Compare(row, _heap.Peek()) < 0)
            {
                _heap.EnqueueDequeue(row, row);
            }
        }

        public List<(string Id, double Value)> InOrder()
        {
            var top = new List<(string Id, double Value)>(_heap.Count);
            while (_heap.TryDequeue(out var row, out _))
            {
                top.Add(row);
            }

            top.Reverse();
            return top;
        }
    }

    /// <summary>
    /// A prediction for every customer of the index: what depends only on (x, t_x, T) — P(alive), the expected orders, the
    /// CLV per unit of spend — is computed once per distinct history in the request (customers whose first and last
    /// purchase days and repeat count agree share it), then scaled by each customer's own expected spend.
    /// </summary>
    private sealed class Measure(string by, StoreModels models)
    {
        private readonly Dictionary<(int X, double Tx, double T), double> _perHistory = [];

        /// <summary>The measure's slot in what a buyer remembers (<see cref="Buyer.Remember"/>).</summary>
        public int Index { get; } = by switch { "p_alive" => 0, "expected_orders_90d" => 1, _ => 2 };

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

        /// <summary>What no value of the measure exceeds: P(alive) is a probability (and exactly 1 for a customer who never came back).</summary>
        public double Ceiling { get; } = by == "p_alive" ? 1 : double.PositiveInfinity;

        /// <summary>A cheap upper bound of <see cref="Of"/>: for P(alive), its ceiling (a one-time buyer's is exactly 1, the top).</summary>
        public double AtMost(RepeatSummary summary, PurchaseDay[] days) => by switch
        {
            "p_alive" => Ceiling,
            "expected_orders_90d" => models.BgNbd.ExpectedPurchasesAtMost(
                PurchaseSummaries.Units(CustomerPotential.NinetyDays, models.Unit), summary.X, summary.Tx, summary.T) * (1 + 1e-6),
            _ => Clv.AtMost(models.BgNbd, CustomerPotential.ExpectedSpend(models, summary, days), summary.X, summary.Tx, summary.T,
                models.ClvHorizon, models.AnnualDiscountRate, models.Unit),
        };
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
