using System.Collections.Immutable;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Storage;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Reconcile;

[StatelessWorker(1)]
public sealed class ReconcileGrain(CustomerDirectoryReader directory, PurchaseRowReader purchases, SegmentRuleCache segments) : Grain, IReconcileGrain
{
    private const int Page = 500;

    public async Task<ReconcileReport> ReconcileAsync()
    {
        var store = this.GetPrimaryKeyString();
        var catalog = await segments.GetAsync(store);
        var expected = catalog.Segments.ToDictionary(s => s.Definition.Id, _ => new SortedSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        var customers = 0L;
        var rankings = ImmutableArray.CreateBuilder<string>();
        await directory.ForEachPageAsync(store, Page, async ids =>
        {
            var verdicts = await Task.WhenAll(ids.Select(id =>
                GrainFactory.Get<ICustomerGrain>(GrainKeys.Customer(store, id)).EvaluateAsync()));
            var views = await Task.WhenAll(ids.Select(id => GrainFactory.Get<ICustomerGrain>(GrainKeys.Customer(store, id)).GetViewAsync()));
            var rows = await Task.WhenAll(ids.Select(id => purchases.ReadAsync(store, id)));
            for (var i = 0; i < ids.Count; i++)
            {
                if (!SameAsState(views[i], rows[i]))
                {
                    rankings.Add(ids[i]);
                }
            }

            for (var i = 0; i < ids.Count; i++)
            {
                foreach (var segmentId in verdicts[i].Where(expected.ContainsKey))
                {
                    expected[segmentId].Add(ids[i]);
                }
            }

            customers += ids.Count;
            return true;
        });

        var differences = ImmutableArray.CreateBuilder<SegmentDifference>();
        foreach (var (segmentId, recount) in expected)
        {
            var members = await AllMembersAsync(store, segmentId);
            differences.Add(new SegmentDifference(
                segmentId,
                members.Count,
                recount.Count,
                [.. members.Except(recount)],
                [.. recount.Except(members)]));
        }

        return new ReconcileReport(customers, differences.ToImmutable(), rankings.ToImmutable());
    }

    /// <summary>
    /// A customer with orders has its row, with its state's order count and revenue, and days that decode (from its order
    /// list, which then lists every order; a row written before the order list has days only); one without has none.
    /// </summary>
    private static bool SameAsState(CustomerView? view, PurchaseRow? row)
    {
        if (view is not { Traits.Orders: > 0 } customer)
        {
            return row is null;
        }

        return row is { } stored
            && stored.Orders == customer.Traits.Orders
            && stored.Revenue.Equals(customer.Traits.Revenue)
            && Prediction.PurchaseHistory.Decode(stored.Days, stored.OrderList) is var history
            && history.Days.Length is > 0 and var days
            && days <= stored.Orders
            && (history.Orders is null || history.Orders.Length == stored.Orders);
    }

    private async Task<SortedSet<string>> AllMembersAsync(string store, string segmentId)
    {
        var members = new SortedSet<string>(StringComparer.Ordinal);
        var segment = GrainFactory.GetGrain<ISegmentGrain>(GrainKeys.Segment(store, segmentId));
        string? after = null;
        do
        {
            var page = await segment.MembersAsync(after, SegmentLimits.MaxPageSize);
            if (page is null)
            {
                break;
            }

            members.UnionWith(page.Items.Select(m => m.CustomerId));
            after = page.After;
        }
        while (after is not null);

        return members;
    }
}
