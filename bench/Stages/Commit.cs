using BenchmarkDotNet.Attributes;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CustomerGrains.Stages;

/// <summary>
/// Stage 5, the journal's group commit on SQLite (a file in a temp folder, the project's schema, the embedded host's
/// connection string): batches of <see cref="Writes"/> writes of warm customers as their grains queue them for the
/// load generator's requests (their entries, member rows, deadlines, purchase rows and event-id claims), committed by
/// <see cref="SqliteJournalCommitter"/> alone, and through <see cref="JournalWriter"/> (the silo's queue, one group so
/// that it lands in one batch). Per write; bench/README gives it per event. Wall time: it includes the commit's fsync.
/// </summary>
[Config(typeof(StageConfig))]
public class Commit
{
    public const int Writes = 500;

    private SqliteFile _file = null!;
    private SqliteJournalCommitter _committer = null!;
    private JournalWriter _writer = null!;
    private Decided[][] _batches = [];
    private JournalWrite[][] _writes = [];
    private CustomerJournal _journal = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var workload = new Workload(requests: 16);
        _file = new SqliteFile();
        _committer = new SqliteJournalCommitter(_file.Database);
        _writer = new JournalWriter(_committer, TimeProvider.System, NullLogger<JournalWriter>.Instance);
        _writer.StartingAsync(CancellationToken.None).GetAwaiter().GetResult();
        _journal = workload.Journal(_file.Database, _writer);
        _batches = [.. workload.Decide().SelectMany(r => r).Chunk(Writes).Where(b => b.Length == Writes)];
        _writes = [.. _batches.Select(b => b.Select(Write).ToArray())];
        Console.WriteLine($"// {_batches.Length} batches of {Writes} writes, {_batches.Average(b => b.Sum(d => d.Entry.Events.Length)) / Writes:F3} events per write");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _file.Dispose();
    }

    [Benchmark(Description = "SqliteJournalCommitter.CommitAsync", OperationsPerInvoke = Writes)]
    public async Task<long> Committer()
    {
        var sequences = await _committer.CommitAsync(_writes[_next++ % _writes.Length], Workload.Now.ToUnixTimeMilliseconds());
        return sequences[^1];
    }

    [Benchmark(Description = "JournalWriter (queue + commit), one group", OperationsPerInvoke = Writes)]
    public async Task<long> Writer()
    {
        // Fresh writes: each carries the task its caller awaits.
        var batch = _writes[_next++ % _writes.Length];
        var writes = new JournalWrite[batch.Length];
        for (var i = 0; i < batch.Length; i++)
        {
            var w = batch[i];
            writes[i] = new JournalWrite(w.Store, w.CustomerId, w.Entry, Deadline: w.Deadline, Purchases: w.Purchases);
        }

        var done = await Task.WhenAll(_writer.WriteGroupAsync(writes));
        return done[^1];
    }

    private JournalWrite Write(Decided d) => _journal.Write(Workload.Store, d.Customer, d.Entry, deadline: d.Deadline, purchases: d.Purchases);
}
