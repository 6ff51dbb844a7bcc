using CustomerGrains.Grains.Behaviour;
namespace CustomerGrains.Grains.Customers;

/// <summary>
/// When a customer's state is snapshotted: the snapshot is written behind the journal, after
/// <see cref="Storage.JournalOptions.SnapshotEvery"/> journaled entries or, for a customer that retains more than
/// four times as many events, a quarter as many entries as it retains events. A snapshot serialises every retained
/// event, so a busy customer's (up to thousands of events) costs as much as hundreds of small ones; its replay stays
/// bounded by a quarter of the retained events. Fewer entries are snapshotted after <see cref="Storage.JournalOptions.SnapshotDelay"/>.
/// </summary>
public sealed class SnapshotSchedule(int every)
{
    /// <summary>Journal entries the state includes that no snapshot does.</summary>
    public int Unsnapshotted { get; private set; }

    /// <summary>An entry was replayed or committed.</summary>
    public void Journaled() => Unsnapshotted++;

    /// <summary>Whether a snapshot should be taken now rather than after the delay.</summary>
    public bool IsDue(CustomerState state) => Unsnapshotted >= Math.Max(every, state.Recent.Count / 4);

    /// <summary>A snapshot covers everything (or nothing must ever be snapshotted: the state is not the stored one).</summary>
    public void Reset() => Unsnapshotted = 0;
}
