using System.Collections.Immutable;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Infrastructure;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Ingest;

[StatelessWorker]
public sealed class EventIngestGrain : Grain, IEventIngestGrain
{
    public async Task<RecordResult> RecordAsync(string store, ImmutableArray<CustomerEvent> events)
    {
        var calls = events
            .GroupBy(e => e.CustomerId, StringComparer.Ordinal)
            .Select(group => GrainFactory
                .Get<ICustomerGrain>(GrainKeys.Customer(store, group.Key))
                .RecordAsync([.. group]));
        var results = await Task.WhenAll(calls);
        return results.Aggregate(default(RecordResult), (sum, r) => sum + r);
    }
}
