using System.Collections.Immutable;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Storage;
using Microsoft.Data.Sqlite;

namespace CustomerGrains.Stages;

/// <summary>
/// Stage 6, what the first request of a customer never seen costs its new activation, short of Orleans: the journal
/// tail read that finds nothing (<see cref="JournalTailReader.ReadTailAsync"/> on SQLite with <see cref="Customers"/>
/// customers' entries in the table), and the first decision on an empty state (every segment evaluated, no memo yet).
/// For comparison, a known customer's tail of <see cref="EntriesEach"/> entries read and deserialized
/// (<see cref="CustomerJournal.ReadTailAsync"/>). Per activation (≈ per event when most customers are new).
/// </summary>
[Config(typeof(StageConfig))]
public class Activation
{
    public const int Customers = 100_000;
    public const int EntriesEach = 3;

    private Workload _workload = null!;
    private SqliteFile _file = null!;
    private JournalTailReader _reader = null!;
    private CustomerJournal _journal = null!;
    private ImmutableArray<CustomerEvent>[] _firsts = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _workload = new Workload(requests: 1);
        _file = new SqliteFile();
        _reader = new JournalTailReader(_file.Database);
        _journal = _workload.Journal(_file.Database);

        // The table holds the store's customers, each with a few entries of the size a request's entry has.
        var payloads = _workload.Decide()[0].Select(d => _workload.Serializer.SerializeToArray(d.Entry)).ToArray();
        using (var connection = new SqliteConnection(_file.ConnectionString))
        {
            connection.Open();
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO cg_journal (store, customer_id, recorded_at, payload, changes) VALUES (@store, @customer, @at, @payload, 0)";
            var store = insert.Parameters.Add("@store", SqliteType.Text);
            var customer = insert.Parameters.Add("@customer", SqliteType.Text);
            var at = insert.Parameters.Add("@at", SqliteType.Integer);
            var payload = insert.Parameters.Add("@payload", SqliteType.Blob);
            store.Value = Workload.Store;
            at.Value = Workload.Now.ToUnixTimeMilliseconds();
            for (var i = 0; i < Customers * EntriesEach; i++)
            {
                customer.Value = string.Create(CultureInfo.InvariantCulture, $"c{i % Customers}");
                payload.Value = payloads[i % payloads.Length];
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        // Each new customer's first request: one event of the load generator's mix, for an id never seen.
        _firsts = [.. _workload.Requests[0].Select((e, i) => ImmutableArray.Create(e with { CustomerId = string.Create(CultureInfo.InvariantCulture, $"new{i}") }))];
    }

    [GlobalCleanup]
    public void Cleanup() => _file.Dispose();

    [Benchmark(Description = "journal tail read, customer never seen (100k in table)")]
    public async Task<int> TailOfNewCustomer()
    {
        var n = _next++;
        return (await _reader.ReadTailAsync(Workload.Store, string.Create(CultureInfo.InvariantCulture, $"new{n}"), 0)).Count;
    }

    [Benchmark(Description = "journal tail read + deserialize, known customer (3 entries)")]
    public async Task<int> TailOfKnownCustomer()
    {
        var n = _next++ % Customers;
        return (await _journal.ReadTailAsync(Workload.Store, string.Create(CultureInfo.InvariantCulture, $"c{n}"), 0)).Count;
    }

    [Benchmark(Description = "first decision on an empty state (Record, no memo)")]
    public int FirstDecision()
    {
        var events = _firsts[_next++ % _firsts.Length];
        var decision = CustomerDecisions.Record(new CustomerState(), events[0].CustomerId, events, _workload.Catalog, _workload.Population, Workload.Now, _workload.Behaviour, new EvaluationMemo());
        return decision.Changes.Length;
    }
}
