using BenchmarkDotNet.Attributes;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Storage;

namespace CustomerGrains.Stages;

/// <summary>
/// Stages 2 and 3 on the customers' own state: applying a request's events (<see cref="CustomerBehaviour.Apply"/>) and
/// the customer grain's whole pure step (<see cref="CustomerDecisions.Record"/>: apply, prune, decide the segments the
/// events touched), on warm customers; and the grain's whole synchronous step up to the queued write (<see cref="Step"/>:
/// that decision, its deadline, purchase row, staged member rows, journal entry and write). Both change the customers, so every iteration starts from fresh warm ones and
/// runs <see cref="FreshCustomersConfig.Requests"/> different requests, each invocation one request. Per event.
/// </summary>
[Config(typeof(FreshCustomersConfig))]
public class Decide
{
    private Workload _workload = null!;
    private Customer[][] _requests = [];
    private CustomerJournal _journal = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _workload = new Workload(requests: FreshCustomersConfig.Requests);
        Console.WriteLine($"// {_workload.EventsPerCustomer:F3} events per customer per request of {Workload.EventsPerRequest}");

        // Only the write's building is measured: no database is opened.
        _journal = _workload.Journal(Workload.Unopened());
    }

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

    [Benchmark(Description = "grain step: Record + deadline + purchases + Stage + entry + Write", OperationsPerInvoke = Workload.EventsPerRequest)]
    public int Step()
    {
        var rows = 0;
        foreach (var c in _requests[_next++])
        {
            var decision = CustomerDecisions.Record(c.State, c.Id, c.Events, _workload.Catalog, _workload.Population, Workload.Now, _workload.Behaviour, c.Memo);
            var deadline = c.Deadline.Change(decision.NextDeadline, Workload.Now);
            var purchases = decision.HasPurchases ? Workload.Purchases(c.State) : null;
            var staged = c.Outbox.Stage(c.State, decision.Changes, _next, _workload.Catalog);
            var entry = decision.IsJournaled ? new JournalEntry(decision.Accepted, staged, Erased: false) : null;
            rows += _journal.Write(Workload.Store, c.Id, entry, deadline: deadline, purchases: purchases).Entry?.Members.Length ?? 0;
        }

        return rows;
    }
}
