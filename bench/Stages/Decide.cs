using BenchmarkDotNet.Attributes;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;

namespace CustomerGrains.Stages;

/// <summary>
/// Stages 2 and 3 on the customers' own state: applying a request's events (<see cref="CustomerBehaviour.Apply"/>) and
/// the customer grain's whole pure step (<see cref="CustomerDecisions.Record"/>: apply, prune, decide the segments the
/// events touched), on warm customers. Both change the customers, so every iteration starts from fresh warm ones and
/// runs <see cref="FreshCustomersConfig.Requests"/> different requests, each invocation one request. Per event.
/// </summary>
[Config(typeof(FreshCustomersConfig))]
public class Decide
{
    private Workload _workload = null!;
    private Customer[][] _requests = [];
    private int _next;

    [GlobalSetup]
    public void Setup() => _workload = new Workload(requests: FreshCustomersConfig.Requests);

    [IterationSetup]
    public void FreshCustomers()
    {
        _requests = _workload.WarmCustomers();
        _next = 0;
    }

    [Benchmark(Description = "CustomerBehaviour.Apply", OperationsPerInvoke = Workload.EventsPerRequest)]
    public int Apply()
    {
        var applied = 0;
        var region = _workload.Behaviour.DefaultPhoneRegion;
        foreach (var customer in _requests[_next++])
        {
            foreach (var e in customer.Events)
            {
                applied += CustomerBehaviour.Apply(customer.State, e, region) ? 1 : 0;
            }
        }

        return applied;
    }

    [Benchmark(Description = "CustomerDecisions.Record (apply + prune + evaluate)", OperationsPerInvoke = Workload.EventsPerRequest)]
    public int Record()
    {
        var changes = 0;
        foreach (var c in _requests[_next++])
        {
            var decision = CustomerDecisions.Record(c.State, c.Id, c.Events, _workload.Catalog, _workload.Population, Workload.Now, _workload.Behaviour, c.Memo);
            changes += decision.Changes.Length + decision.Accepted.Length;
        }

        return changes;
    }
}
