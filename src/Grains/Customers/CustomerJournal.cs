using System.Collections.Immutable;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// A customer's journal, as its grain uses it: the entries after its snapshot (replayed on activation), the writes it
/// queues with the silo's group commit, and the trimming of entries a snapshot covers once they are older than the
/// retention (<see cref="JournalOptions"/>). The journal stores what it is given: the entry serialized here (the one
/// stored form of what the customer applied and decided) and the membership rows the shards reload from.
/// </summary>
public sealed class CustomerJournal(
    JournalWriter writer, JournalTailReader reader, ChangeRowReader changes, Serializer serializer, IOptions<JournalOptions> options)
{
    public JournalOptions Options => options.Value;

    /// <summary>How long entries that changed memberships are kept (the change feed's and the history's retention).</summary>
    public TimeSpan ChangeRetention => Max(options.Value.Retention, options.Value.ChangeRetention);

    public async Task<List<(long Seq, JournalEntry Entry)>> ReadTailAsync(string store, string customerId, long afterSeq) =>
        (await reader.ReadTailAsync(store, customerId, afterSeq)).ConvertAll(e => (e.Seq, serializer.Deserialize<JournalEntry>(e.Payload)!.Current()));

    /// <summary>
    /// The customer's entries that changed memberships, at or before <paramref name="throughSeq"/>, newest first, with the
    /// changes each decided (in the order decided).
    /// </summary>
    public async Task<List<(long Seq, ImmutableArray<MemberRow> Changes)>> ChangesAsync(string store, string customerId, long throughSeq, int limit) =>
        (await changes.CustomerAsync(store, customerId, throughSeq, limit)).ConvertAll(r => (r.Position.Seq, ChangesIn(r.Payload)));

    /// <summary>The membership rows a stored entry decided (what the change feed tells), in the order decided.</summary>
    public ImmutableArray<MemberRow> ChangesIn(byte[] payload) => serializer.Deserialize<JournalEntry>(payload)!.Members;

    /// <summary>
    /// Queues a write of an entry (if any), a registration, a deadline, the customer's purchase days; completes with the
    /// entry's sequence number once durable.
    /// </summary>
    public Task<long> WriteAsync(
        string store, string customerId, JournalEntry? entry, bool register = false, DeadlineChange? deadline = null, Task<long>? after = null,
        PurchaseRow? purchases = null, ImmutableArray<IdentityKeyRow> keys = default) =>
        writer.WriteAsync(Write(store, customerId, entry, register, deadline, after, purchases, keys: keys));

    /// <summary>A write as <see cref="WriteAsync"/> queues it, for a group (<see cref="WriteGroupAsync"/>).</summary>
    public JournalWrite Write(
        string store, string customerId, JournalEntry? entry, bool register = false, DeadlineChange? deadline = null, Task<long>? after = null,
        PurchaseRow? purchases = null, bool unregister = false, ImmutableArray<IdentityKeyRow> keys = default) =>
        new(store, customerId, entry is null ? null : Record(entry), register, Deadline: deadline, After: after, Purchases: purchases, Unregister: unregister, Keys: keys);

    /// <summary>Queues writes of several customers that commit in one transaction or not at all (the two sides of a merge).</summary>
    public Task<long>[] WriteGroupAsync(IReadOnlyList<JournalWrite> writes) => writer.WriteGroupAsync(writes);

    /// <summary>
    /// Drops the entries through <paramref name="through"/> (a snapshot covers them) recorded before the retention; those
    /// that changed memberships once older than the change feed's retention.
    /// </summary>
    public Task<long> TrimAsync(string store, string customerId, long through, DateTimeOffset now) =>
        writer.WriteAsync(new JournalWrite(
            store, customerId, null, TrimThrough: through, TrimBeforeUnixMs: (now - options.Value.Retention).ToUnixTimeMilliseconds(),
            TrimChangesBeforeUnixMs: (now - ChangeRetention).ToUnixTimeMilliseconds()));

    private JournalRecord Record(JournalEntry entry)
    {
        // An erasure's leaves are in its entry for the change feed (until the customer's next wake drops them: see
        // CustomerGrain.WakeAsync) but get no member row: a tombstone row would name a segment the customer was in.
        if (entry.Erased)
        {
            return new JournalRecord(serializer.SerializeToArray(entry), [], Erased: true, ChangeCount: entry.Members.Length);
        }

        var members = ImmutableArray.CreateBuilder<StoredMember>(entry.Members.Length);
        foreach (var row in entry.Members)
        {
            var change = row.Change;
            members.Add(new StoredMember(row.SegmentId, change.SegmentUid, row.Shard, change.IsMember, change.EnteredAt, change.Cause, change.Decision));
        }

        // The entry's events are this customer's now, store-wide: the commit stores its claims on their ids (Ingest/EventIdsGrain.cs).
        var ids = ImmutableArray.CreateBuilder<ulong>(entry.Events.Length);
        foreach (var e in entry.Events)
        {
            ids.Add(Behaviour.CustomerBehaviour.Fingerprint(e.Id));
        }

        return new JournalRecord(serializer.SerializeToArray(entry), members.MoveToImmutable(), entry.Erased, EventIds: ids.MoveToImmutable());
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
