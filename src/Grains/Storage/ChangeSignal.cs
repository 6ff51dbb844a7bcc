using System.Collections.Concurrent;

namespace CustomerGrains.Grains.Storage;

/// <summary>
/// Per silo: tells whoever waits on a store that this silo's journal just committed membership changes of it (what wakes
/// a long-polling reader of the change feed at once). Commits on other silos are not heard here: readers there poll.
/// </summary>
public sealed class ChangeSignal
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _next = new(StringComparer.Ordinal);

    /// <summary>Completes at the next commit with changes of the store on this silo.</summary>
    public Task NextAsync(string store) =>
        _next.GetOrAdd(store, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>A batch with changes of the store committed.</summary>
    public void Committed(string store)
    {
        if (_next.TryRemove(store, out var waiting))
        {
            waiting.TrySetResult();
        }
    }
}
