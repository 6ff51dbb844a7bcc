namespace CustomerGrains.Grains.Customers;

/// <summary>
/// The order of one customer activation's writes. A busy customer does not hold its next request back while the
/// previous one waits for its commit: each mutating request decides and queues its journal write in one synchronous
/// step (chained to the previous write: it commits only if that one did), and only then waits. What follows a commit
/// (telling the shards, the deadline shard) runs strictly in write order. A step that must see the state exactly as
/// stored (a snapshot, an erasure) runs alone, once every queued write has settled; mutating requests wait for it
/// before deciding anything. A write that fails leaves memory ahead of storage: the pipeline breaks and refuses every
/// later write, and the owner replaces the activation (the next one replays what was committed).
/// <para>Not thread-safe: it lives on its grain's scheduler, like the grain's own fields.</para>
/// </summary>
public sealed class WritePipeline(Action onBreak)
{
    private Task<long>? _lastWrite;
    private Task _tail = Task.CompletedTask;
    private Task _exclusive = Task.CompletedTask;
    private Exception? _broken;

    /// <summary>How many writes were queued; the number the next one gets is one more.</summary>
    public long Queued { get; private set; }

    public bool IsBroken => _broken is not null;

    /// <summary>Waits while a step that runs alone is running.</summary>
    public async Task EnterAsync()
    {
        while (!_exclusive.IsCompleted)
        {
            await _exclusive;
        }
    }

    public void ThrowIfBroken()
    {
        if (_broken is not null)
        {
            throw new Orleans.Storage.InconsistentStateException(
                "an earlier write of this customer failed; its activation is being replaced, retry", _broken);
        }
    }

    /// <summary>Marks memory as ahead of storage (a failed write, or a decision that failed before its write was queued).</summary>
    public void Break(Exception error)
    {
        if (_broken is null)
        {
            _broken = error;
            onBreak();
        }
    }

    /// <summary>
    /// Starts write number <see cref="Queued"/> + 1 (<paramref name="start"/> gets the previous write, which it must
    /// follow: <see cref="Storage.JournalWrite.After"/>) and runs <paramref name="afterCommit"/> with its sequence
    /// number once it is durable and every earlier step has run. The returned task is the request's: it fails if the
    /// write did.
    /// </summary>
    public Task Queue(Func<Task<long>?, Task<long>> start, Func<long, Task> afterCommit)
    {
        ThrowIfBroken();
        var write = start(_lastWrite);
        Queued++;
        _lastWrite = write;
        return Chain(AfterCommitAsync(_tail, write, afterCommit));
    }

    /// <summary>Runs <paramref name="step"/> once everything queued so far has run its after-commit step.</summary>
    public Task AfterQueued(Func<Task> step) => Chain(AfterAsync(_tail, step));

    /// <summary>Runs a step alone, once every queued write has settled; mutating requests wait meanwhile.</summary>
    public async Task ExclusiveAsync(Func<Task> step)
    {
        await EnterAsync();
        var done = new TaskCompletionSource();
        _exclusive = done.Task;
        try
        {
            await _tail;
            await step();
        }
        finally
        {
            done.SetResult();
        }
    }

    private Task Chain(Task step)
    {
        _tail = Settled(step);
        return step;
    }

    private async Task AfterCommitAsync(Task previous, Task<long> write, Func<long, Task> afterCommit)
    {
        long sequence;
        try
        {
            sequence = await write;
        }
        catch (Exception error)
        {
            Break(error);
            throw;
        }

        await previous;
        await afterCommit(sequence);
    }

    private async Task AfterAsync(Task previous, Func<Task> step)
    {
        await previous;
        ThrowIfBroken();
        await step();
    }

    private static async Task Settled(Task step)
    {
        try
        {
            await step;
        }
        catch
        {
            // The request that queued the step reports its failure; the pipeline only waits for it.
        }
    }
}
