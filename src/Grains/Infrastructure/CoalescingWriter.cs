namespace CustomerGrains.Grains.Infrastructure;

/// <summary>
/// Group commit inside one grain: callers that arrive while a write is in flight share the next write,
/// so a busy grain writes once per round trip to the database instead of once per caller.
/// Every caller's task completes only after a write that started after its change was made.
/// </summary>
/// <remarks>
/// The write delegate must copy what it persists synchronously, before its first await: interleaved
/// calls keep mutating the grain's working data while the storage provider serialises.
/// Used only from grain code, so no locking: everything runs on the grain's scheduler.
/// </remarks>
public sealed class CoalescingWriter(Func<Task> write)
{
    private TaskCompletionSource? _next;
    private bool _running;

    /// <summary>Completes when the changes made before this call are durable.</summary>
    public Task WriteAsync()
    {
        var next = _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_running)
        {
            _running = true;
            _ = RunAsync();
        }

        return next.Task;
    }

    private async Task RunAsync()
    {
        try
        {
            while (_next is { } batch)
            {
                _next = null;
                try
                {
                    await write();
                    batch.SetResult();
                }
                catch (Exception error)
                {
                    batch.SetException(error);
                }
            }
        }
        finally
        {
            _running = false;
        }
    }
}
