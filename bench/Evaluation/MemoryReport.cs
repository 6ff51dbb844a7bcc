using System.Globalization;
using CustomerGrains.Grains.Behaviour;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace CustomerGrains.Evaluation;

/// <summary>
/// <c>--memory</c>: what resident customers cost. Builds N customers through Apply / Prune and one evaluation
/// pass each, keeps them reachable, and reports the live heap they add per customer (full collections before
/// and after) and the size of their Orleans-serialised snapshot; then the same for the states loaded back
/// from those snapshots, as an activation that starts from its snapshot holds them.
/// </summary>
public static class MemoryReport
{
    public static int Run(int customers, DateTimeOffset now, Func<CustomerState, long> pass)
    {
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

        // Each event on its own through the serializer: its strings are its own instances, as when the silo
        // receives it from the Api (or the Api parses it from JSON), not the generator's shared literals.
        CustomerEvent Arrive(CustomerEvent e) => serializer.Deserialize<CustomerEvent>(serializer.SerializeToArray(e))!;

        // Warm everything that is shared by all customers (code, codecs, caches) before the baseline.
        var checksum = pass(SampleCustomers.Build(-1, now, Arrive));

        var states = new CustomerState[customers];
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < customers; i++)
        {
            states[i] = SampleCustomers.Build(i, now, Arrive);
            checksum += pass(states[i]);

            // The grain forgets outbox entries once their shards have them (and trims the emptied outbox).
            Delivered(states[i]);
        }

        var applied = GC.GetTotalMemory(forceFullCollection: true) - before;

        var snapshots = new byte[customers][];
        var snapshotBytes = 0L;
        for (var i = 0; i < customers; i++)
        {
            snapshots[i] = serializer.SerializeToArray(states[i]);
            snapshotBytes += snapshots[i].Length;
        }

        var events = states.Average(s => (double)s.Recent.Count);
        GC.KeepAlive(states);
        Array.Clear(states);

        var loaded = new CustomerState[customers];
        before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < customers; i++)
        {
            loaded[i] = serializer.Deserialize<CustomerState>(snapshots[i])!;
            checksum += pass(loaded[i]);
            Delivered(loaded[i]);
        }

        var fromSnapshots = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(loaded);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{customers:N0} customers, {events:F1} retained events each: live {(double)applied / customers:F0} B per customer as applied, {(double)fromSnapshots / customers:F0} B loaded from its snapshot; snapshot {(double)snapshotBytes / customers:F0} B [checksum {checksum}]"));
        return 0;
    }

    private static void Delivered(CustomerState state)
    {
        state.Outbox.Clear();
        state.Outbox.TrimExcess();
    }
}
