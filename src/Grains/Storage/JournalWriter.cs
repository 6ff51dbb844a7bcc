using System.Diagnostics;
using System.Threading.Channels;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Infrastructure.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CustomerGrains.Grains.Storage;

/// <summary>
/// Group commit for the whole silo: writes from every customer that arrive while a transaction is being
/// committed go into the next one, so the database sees one commit per batch instead of one per event
/// or per customer. A caller's task completes only after the transaction holding its write committed.
/// How a batch is stored is the <see cref="IJournalCommitter"/>'s business. A group of writes
/// (<see cref="WriteGroupAsync"/>: the two sides of an identity merge) always lands in one batch: both or neither.
/// <para>
/// A hosted service that runs around the silo: its loop starts before any hosted service starts (the silo
/// among them) and the queue closes only after all of them stopped, so the snapshots and trims customers write
/// while the silo deactivates them on its way down are committed like any other write.
/// </para>
/// </summary>
public sealed class JournalWriter(
    IJournalCommitter committer, [FromKeyedServices(EngineClock.Key)] TimeProvider time, ILogger<JournalWriter> logger, ChangeSignal? changes = null,
    EngineMetrics? metrics = null)
    : IHostedLifecycleService, IAsyncDisposable
{
    private const int MaxBatch = 1024;

    private readonly Channel<Submission> _queue = Channel.CreateUnbounded<Submission>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _starting = new();
    private Task? _loop;
    private int _waiting;

    public Task<long> WriteAsync(JournalWrite write)
    {
        Submit(new Submission(write, null), 1);
        return write.Done.Task;
    }

    /// <summary>
    /// Writes that commit in one transaction or not at all, whatever else is queued: each task completes with its
    /// write's sequence number once the batch holding all of them has committed, or every one fails with it.
    /// </summary>
    public Task<long>[] WriteGroupAsync(IReadOnlyList<JournalWrite> writes)
    {
        if (writes.Count is 0 or > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(writes), writes.Count, $"a group holds 1 to {MaxBatch} writes");
        }

        Submit(new Submission(null, [.. writes]), writes.Count);
        return [.. writes.Select(w => w.Done.Task)];
    }

    private void Submit(Submission submission, int writes)
    {
        if (!_queue.Writer.TryWrite(submission))
        {
            // The silo is shutting down (perhaps because it learnt it was declared dead): nothing of this write
            // was recorded, and the grain lives on elsewhere, so callers may retry, as for any silo that went away.
            throw new SiloUnavailableException("this silo is stopping; its journal takes no more writes");
        }

        Interlocked.Add(ref _waiting, writes);
    }

    /// <summary>Writes accepted and not yet committed or failed (queued, or in the batch being committed).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        Start();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every other hosted service has stopped: nothing is left to write but what is queued.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken) => await DisposeAsync();

    /// <summary>Takes no more writes, and returns once every accepted one has committed or failed.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();

        // A host disposed without having been started still settles what was queued.
        await Start();
    }

    private Task Start()
    {
        lock (_starting)
        {
            // Off the starting thread: the host's start does not wait for a first batch.
            return _loop ??= Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<JournalWrite>(MaxBatch);
        Submission? carried = null;
        while (carried is not null || await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && (carried ?? (_queue.Reader.TryRead(out var next) ? next : null)) is { } submission)
            {
                carried = null;
                if (submission.Single is { } write)
                {
                    Add(batch, write);
                }
                else if (batch.Count + submission.Group!.Length > MaxBatch)
                {
                    // A group never straddles two batches: it opens the next one.
                    carried = submission;
                    break;
                }
                else if (submission.Group.FirstOrDefault(w => w.After is { IsCompleted: true, IsCompletedSuccessfully: false }) is { } doomed)
                {
                    // One write of the group cannot commit: none of it does.
                    var failed = doomed.After!;
                    foreach (var member in submission.Group)
                    {
                        Interlocked.Decrement(ref _waiting);
                        member.Done.TrySetException(failed.Exception?.InnerException ?? new TaskCanceledException(failed));
                    }
                }
                else
                {
                    batch.AddRange(submission.Group);
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                var sequences = await committer.CommitAsync(batch, time.GetUtcNow().ToUnixTimeMilliseconds());
                metrics?.Committed(batch.Count, Stopwatch.GetElapsedTime(started).TotalSeconds, null);
                Interlocked.Add(ref _waiting, -batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.SetResult(sequences[i]);
                    if (batch[i].Entry is { Changes: > 0 } entry)
                    {
                        changes?.Committed(batch[i].Store);
                        Count(batch[i].Store, entry);
                    }
                }
            }
            catch (Exception error)
            {
                metrics?.Committed(batch.Count, Stopwatch.GetElapsedTime(started).TotalSeconds, error);
                logger.LogError(error, "A journal batch of {Count} writes failed; their callers were told", batch.Count);
                Interlocked.Add(ref _waiting, -batch.Count);
                foreach (var write in batch)
                {
                    write.Done.TrySetException(error);
                }
            }
        }
    }

    /// <summary>
    /// The membership changes of a committed entry, counted here once (a change sent to its shard again is not): its member
    /// rows are the joins; its tombstones, and the leaves of an erasure (told with no row), the exits.
    /// </summary>
    private void Count(string store, JournalRecord entry)
    {
        if (metrics is null)
        {
            return;
        }

        var entered = 0;
        foreach (var member in entry.Members)
        {
            entered += member.IsMember ? 1 : 0;
        }

        metrics.SegmentChanged(store, entered, entry.Changes - entered);
    }

    private void Add(List<JournalWrite> batch, JournalWrite write)
    {
        // A predecessor in an earlier batch has settled by now (batches commit in order); one that
        // failed takes this write down with it. A predecessor in this batch shares its fate anyway.
        if (write.After is { IsCompleted: true, IsCompletedSuccessfully: false } failed)
        {
            Interlocked.Decrement(ref _waiting);
            write.Done.TrySetException(failed.Exception?.InnerException ?? new TaskCanceledException(failed));
            return;
        }

        batch.Add(write);
    }

    /// <summary>One write, or a group that commits together.</summary>
    private sealed record Submission(JournalWrite? Single, JournalWrite[]? Group);
}
