using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Population;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Models;

/// <summary>
/// Rankings, computed per request (a stateless worker: any silo, several at once). Revenue and orders are ordered by
/// the database on the purchase index. Predictions are computed from the silo's in-memory copy of the index
/// (<see cref="PurchaseIndex"/>: brought up to date at each request, so as exact as reading the table) at the instant of
/// the request, under the store's models: from the top down, the copy keeping its buyers ordered by an upper bound of
/// each prediction across requests, and stopping once no bound left can reach the rows kept (descending; ascending
/// computes every buyer's). Exact, since every bound in that order is at least its buyer's value now (these predictions
/// only fall while a history stays the same; a changed row, a refit or an order stamped ahead drops the bound) and the
/// walk stops only at a bound that ranks after the worst row kept; in full: <see cref="PredictionRanking"/>. A lookalike
/// score is asked of each candidate customer (the segment's members, or every known customer) — exact, and as costly as
/// that many calls. Customers without orders have no row in the index: only lookalike rankings include them. Ties go by
/// customer id.
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

        if (query.By.StartsWith(RankingQuery.LookalikePrefix, StringComparison.Ordinal))
        {
            var lookalike = query.By[RankingQuery.LookalikePrefix.Length..];
            if ((await population.GetAsync(Store)).Lookalikes?.ContainsKey(lookalike) != true)
            {
                return new RankingPage([], false, $"no trained lookalike model '{lookalike}'");
            }

            var order = TopRows.Order(query.Descending);
            var kept = new TopRows(order, query.Limit + 1);
            await ForEachCandidatePageAsync(only, async ids =>
            {
                var scores = await cases.ScoreAsync(Store, ids, lookalike);
                for (var i = 0; i < ids.Count; i++)
                {
                    if (scores[i] is { } score && (after is not { } cursor || order.Compare((ids[i], score), (cursor.Item2, cursor.Item1)) > 0))
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

        // The instant of the ranking is taken once the index is current, so no commit before it is missing.
        var measure = new RankingMeasure(query.By, models);
        var top = query.Descending
            ? await index.ReadByBoundAsync(Store, measure.Index, (buyers, order) =>
                PredictionRanking.Top(buyers, order, measure, time.GetUtcNow(), only, after, query.Limit + 1))
            : await index.ReadAsync(Store, buyers => PredictionRanking.Bottom(buyers, measure, time.GetUtcNow(), only, after, query.Limit + 1));
        return Page(top, query.Limit);
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
