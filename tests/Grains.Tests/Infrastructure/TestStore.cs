using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Ingest;
using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Tests.Infrastructure;

/// <summary>A fresh store per test, driven through the same grain calls the Api makes.</summary>
internal sealed class TestStore(ClusterFixture cluster)
{
    public string Id { get; } = $"s{Guid.NewGuid():N}"[..13];

    private IGrainFactory Grains => cluster.Grains;

    public Task<RecordResult> RecordAsync(params CustomerEvent[] events) =>
        Grains.GetGrain<IEventIngestGrain>(0).RecordAsync(Id, [.. events]);

    public async Task<SegmentInfo> CreateSegmentAsync(string id, string rule, int holdout = 0, TimeSpan? minDwell = null)
    {
        var result = await Grains.GetGrain<ISegmentCatalogGrain>(Id).CreateAsync(new SegmentDraft(id, id, null, rule, Holdout: holdout, MinDwell: minDwell));
        Assert.True(result.Outcome == CatalogOutcome.Ok, result.Error);
        await WaitForBackfillAsync(id);
        return result.Segment!;
    }

    public async Task<SegmentInfo> UpdateSegmentAsync(string id, string rule)
    {
        var result = await Grains.GetGrain<ISegmentCatalogGrain>(Id).UpdateAsync(new SegmentDraft(id, id, null, rule));
        Assert.True(result.Outcome == CatalogOutcome.Ok, result.Error);
        return await WaitForBackfillAsync(id);
    }

    public Task<CatalogOutcome> DeleteSegmentAsync(string id) => Grains.GetGrain<ISegmentCatalogGrain>(Id).DeleteAsync(id);

    /// <summary>Waits for the backfill to report completion (the signal clients watch), bounded.</summary>
    public async Task<SegmentInfo> WaitForBackfillAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var info = await Grains.GetGrain<ISegmentCatalogGrain>(Id).GetAsync(id);
            if (info is { Backfill.Complete: true })
            {
                return info;
            }

            Assert.True(DateTime.UtcNow < deadline, $"backfill of {id} did not complete: {info?.Backfill}");
            await Task.Delay(20);
        }
    }

    public async Task<long> CountAsync(string segment) =>
        (await Grains.GetGrain<ISegmentGrain>(GrainKeys.Segment(Id, segment)).CountAsync())!.Count;

    public async Task<List<SegmentMember>> AllMembersAsync(string segment, int pageSize = 100)
    {
        var all = new List<SegmentMember>();
        string? after = null;
        do
        {
            var page = await Grains.GetGrain<ISegmentGrain>(GrainKeys.Segment(Id, segment)).MembersAsync(after, pageSize);
            Assert.NotNull(page);
            Assert.True(page.Items.Length <= pageSize);
            all.AddRange(page.Items);
            after = page.After;
        }
        while (after is not null);

        return all;
    }

    public Task<MemberLookup> MemberAsync(string segment, string customer) =>
        Grains.GetGrain<ISegmentGrain>(GrainKeys.Segment(Id, segment)).MemberAsync(customer);

    /// <summary>
    /// Waits until the customer is (or is no longer) a member, bounded: timers fire as the fake clock moves, and their work
    /// (a grain call each) finishes just after. The member, or null once it left.
    /// </summary>
    public async Task<SegmentMember?> WaitForMemberAsync(string segment, string customer, bool member)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var found = (await MemberAsync(segment, customer)).Member;
            if ((found is not null) == member)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{customer} did not {(member ? "enter" : "leave")} {segment}");
            await Task.Delay(10);
        }
    }

    /// <summary>The customer's next deadline as its journal commit stored it.</summary>
    public async Task<DateTimeOffset> StoredDeadlineAsync(string customer) => new(
        await cluster.ScalarAsync("SELECT due_at FROM cg_deadlines WHERE store = @store AND customer_id = @customer", ("@store", Id), ("@customer", customer)),
        TimeSpan.Zero);

    public Task<CustomerView?> ViewAsync(string customer) =>
        Grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(Id, customer)).GetViewAsync();

    public Task<bool> EraseAsync(string customer) =>
        Grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(Id, customer)).EraseAsync();

    public Task<bool> LiftSuppressionAsync(string customer) =>
        Grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(Id, customer)).LiftSuppressionAsync();

    public static string[] Ids(IEnumerable<SegmentMember> members) => [.. members.Select(m => m.CustomerId)];

    /// <summary>A customer's segments other than the lifecycle segments every store starts with.</summary>
    public static string[] Own(IEnumerable<CustomerSegment> segments) =>
        [.. segments.Select(s => s.Id).Where(id => !id.StartsWith("lifecycle-", StringComparison.Ordinal))];
}
