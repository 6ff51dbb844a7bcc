using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;

namespace CustomerGrains.Grains.Ingest;

/// <summary>
/// The Api's one call per events request: groups a validated batch by customer and hands each group to its
/// customer grain, answering once every group is durable. Stateless; one per silo per concurrent request.
/// </summary>
[Alias("cg.IEventIngestGrain")]
public interface IEventIngestGrain : IGrainWithIntegerKey
{
    [Alias("Record")]
    Task<RecordResult> RecordAsync(string store, ImmutableArray<CustomerEvent> events);
}
