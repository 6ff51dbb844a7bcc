using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Infrastructure;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Ingest;

[StatelessWorker]
public sealed class EventIngestGrain : Grain, IEventIngestGrain
{
    public async Task<RecordResult> RecordAsync(string store, ImmutableArray<CustomerEvent> events)
    {
        // Grouped by hand (each group's array built at its size): this runs for every event that arrives.
        var groups = new Dictionary<string, ImmutableArray<CustomerEvent>.Builder>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (!groups.TryGetValue(e.CustomerId, out var group))
            {
                groups[e.CustomerId] = group = ImmutableArray.CreateBuilder<CustomerEvent>(1);
            }

            group.Add(e);
        }

        var calls = new Task<RecordResult>[groups.Count];
        var i = 0;
        foreach (var (customer, group) in groups)
        {
            calls[i++] = GrainFactory.Get<ICustomerGrain>(GrainKeys.Customer(store, customer)).RecordAsync(group.DrainToImmutable());
        }

        var results = await Task.WhenAll(calls);
        var sum = default(RecordResult);
        foreach (var result in results)
        {
            sum += result;
        }

        return sum;
    }
}
