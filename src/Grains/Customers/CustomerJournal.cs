using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// A customer's journal, as its grain uses it: the entries after its snapshot (replayed on activation), the writes it
/// queues with the silo's group commit, and the trimming of entries a snapshot covers once they are older than the
/// retention (<see cref="JournalOptions"/>).
/// </summary>
public sealed class CustomerJournal(JournalWriter writer, JournalTailReader reader, IOptions<JournalOptions> options)
{
    public JournalOptions Options => options.Value;

    public Task<List<(long Seq, JournalEntry Entry)>> ReadTailAsync(string store, string customerId, long afterSeq) =>
        reader.ReadTailAsync(store, customerId, afterSeq);

    public Task<long> WriteAsync(JournalWrite write) => writer.WriteAsync(write);

    /// <summary>Drops the entries through <paramref name="through"/> (a snapshot covers them) recorded before the retention.</summary>
    public Task<long> TrimAsync(string store, string customerId, long through, DateTimeOffset now) =>
        writer.WriteAsync(new JournalWrite(
            store, customerId, null, TrimThrough: through, TrimBeforeUnixMs: (now - options.Value.Retention).ToUnixTimeMilliseconds()));
}
