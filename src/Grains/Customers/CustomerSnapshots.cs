using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Infrastructure;
using Microsoft.Extensions.Logging;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// A customer's snapshots, written behind its journal (<see cref="SnapshotSchedule"/> says when): each runs alone in
/// the write pipeline, so the state is exactly the journal through its sequence number, then trims the entries it
/// covers. A failed snapshot loses nothing: the journal holds everything, the next activation replays a longer tail.
/// </summary>
public sealed class CustomerSnapshots(
    IPersistentState<CustomerState> state,
    CustomerJournal journal,
    WritePipeline pipeline,
    TimeProvider time,
    ILogger logger,
    Func<Func<Task>, TimeSpan, IGrainTimer> startTimer,
    string store,
    string customerId)
{
    private readonly SnapshotSchedule _schedule = new(journal.Options.SnapshotEvery);
    private IGrainTimer? _timer;

    /// <summary>An entry was replayed or committed.</summary>
    public void Journaled() => _schedule.Journaled();

    /// <summary>After a commit: a snapshot now if enough entries were journaled, else one after the delay.</summary>
    public void AfterCommit()
    {
        if (_schedule.IsDue(state.State))
        {
            // Not awaited: a snapshot waits for every queued write, the committing request's own step among them.
            _ = TakeAsync();
        }
        else
        {
            ScheduleLater();
        }
    }

    /// <summary>The state in memory is not one to snapshot (erased, or ahead of storage).</summary>
    public void Forget() => _schedule.Reset();

    /// <summary>A snapshot after the delay, if the state holds entries none covers.</summary>
    public void ScheduleLater()
    {
        if (_schedule.Unsnapshotted > 0)
        {
            _timer ??= startTimer(TakeAsync, journal.Options.SnapshotDelay);
        }
    }

    public async Task TakeAsync()
    {
        try
        {
            await pipeline.ExclusiveAsync(WriteAsync);
        }
        catch (Exception error)
        {
            logger.LogFailure(LogLevel.Warning, error, "A snapshot failed for a customer of store {Store}", store);
        }
    }

    private async Task WriteAsync()
    {
        _timer?.Dispose();
        _timer = null;
        if (_schedule.Unsnapshotted == 0 || state.State.JournalSeq == 0 || pipeline.IsBroken)
        {
            return;
        }

        var through = state.State.JournalSeq;
        await state.WriteStateAsync();
        _schedule.Reset();
        await journal.TrimAsync(store, customerId, through, time.GetUtcNow());
    }
}
