using BenchmarkDotNet.Attributes;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Storage;

namespace CustomerGrains.Stages;

/// <summary>
/// Stage 4, what the customer grain does between its decision and the queued write: stage its membership changes in
/// its outbox (<see cref="MembershipOutbox.Stage"/>), serialize the journal entry with the Orleans serializer, and build
/// the write (<see cref="CustomerJournal.Write"/>: the serialized entry, its stored member rows and the fingerprints
/// of its event ids). The entries are those the grain builds for a request's warm customers. Per event.
/// </summary>
[Config(typeof(StageConfig))]
public class Journal
{
    private Workload _workload = null!;
    private Decided[][] _requests = [];
    private CustomerJournal _journal = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _workload = new Workload(requests: 4);
        _requests = _workload.Decide();
        if (_requests.Any(r => r.Sum(d => d.Entry.Events.Length) != Workload.EventsPerRequest))
        {
            throw new InvalidOperationException("every event of a request is applied once: per-event figures divide by the request's size");
        }

        // Only the write's building is measured: no database is opened.
        _journal = _workload.Journal(Workload.Unopened());

        var entries = _requests.SelectMany(r => r).ToList();
        Console.WriteLine($"// journal entries: {entries.Count / (double)_requests.Length:F0} per request, {entries.Average(d => (double)_workload.Serializer.SerializeToArray(d.Entry).Length):F0} B serialized each, " +
            $"{entries.Sum(d => d.Entry.Members.Length) / (double)entries.Count:F3} member rows each, {entries.Count(d => d.Deadline is not null) / (double)entries.Count:P0} with a deadline, {entries.Count(d => d.Purchases is not null) / (double)entries.Count:P0} with a purchase row");
    }

    [Benchmark(Description = "MembershipOutbox.Stage", OperationsPerInvoke = Workload.EventsPerRequest)]
    public int Stage()
    {
        var rows = 0;
        foreach (var d in _requests[_next++ % _requests.Length])
        {
            rows += d.Outbox.Stage(d.State, d.Changes, 1, _workload.Catalog).Length;
        }

        return rows;
    }

    [Benchmark(Description = "serialize JournalEntry (Orleans)", OperationsPerInvoke = Workload.EventsPerRequest)]
    public int Serialize()
    {
        var bytes = 0;
        foreach (var d in _requests[_next++ % _requests.Length])
        {
            bytes += _workload.Serializer.SerializeToArray(d.Entry).Length;
        }

        return bytes;
    }

    [Benchmark(Description = "CustomerJournal.Write (serialize + rows + ids)", OperationsPerInvoke = Workload.EventsPerRequest)]
    public int Write()
    {
        var rows = 0;
        foreach (var d in _requests[_next++ % _requests.Length])
        {
            rows += _journal.Write(Workload.Store, d.Customer, d.Entry, deadline: d.Deadline, purchases: d.Purchases).Entry!.Members.Length;
        }

        return rows;
    }
}
