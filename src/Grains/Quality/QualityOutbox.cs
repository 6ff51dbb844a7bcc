using System.Collections.Immutable;

namespace CustomerGrains.Grains.Quality;

/// <summary>
/// One store's updates on one silo, on their way to its report: the newest per customer not yet sent, and the batches
/// sent that the report has not written yet (<see cref="QualityAck"/>). A batch leaves once a write covers it; if the
/// report answers from a new activation (it restarted, perhaps without writing them), the unwritten batches are sent
/// again, the newest update per customer winning. Not thread-safe: its reporter holds a lock around it.
/// </summary>
public sealed class QualityOutbox
{
    private readonly List<(long Merge, ImmutableArray<QualityUpdate> Batch)> _unwritten = [];
    private Dictionary<string, QualityUpdate> _pending = new(StringComparer.Ordinal);
    private Guid? _epoch;

    /// <summary>Nothing to send and nothing to hear about.</summary>
    public bool IsIdle => _pending.Count == 0 && _unwritten.Count == 0;

    public void Keep(QualityUpdate update)
    {
        if (update.Supersedes(_pending.GetValueOrDefault(update.CustomerId)))
        {
            _pending[update.CustomerId] = update;
        }
    }

    /// <summary>The next batch to send (empty when only an answer about earlier batches is awaited).</summary>
    public ImmutableArray<QualityUpdate> Take()
    {
        ImmutableArray<QualityUpdate> batch = [.. _pending.Values];
        _pending = new Dictionary<string, QualityUpdate>(StringComparer.Ordinal);
        return batch;
    }

    /// <summary>The report took <paramref name="batch"/> and answered <paramref name="ack"/>.</summary>
    public void Sent(ImmutableArray<QualityUpdate> batch, QualityAck ack)
    {
        if (_epoch is { } epoch && epoch != ack.Epoch)
        {
            foreach (var (_, lost) in _unwritten)
            {
                Failed(lost);
            }

            _unwritten.Clear();
        }

        _epoch = ack.Epoch;
        if (!batch.IsEmpty)
        {
            _unwritten.Add((ack.Merge, batch));
        }

        _unwritten.RemoveAll(b => b.Merge <= ack.WrittenThrough);
    }

    /// <summary><paramref name="batch"/> did not reach the report: it is sent again with the next, unless newer updates replace it.</summary>
    public void Failed(ImmutableArray<QualityUpdate> batch)
    {
        foreach (var update in batch)
        {
            Keep(update);
        }
    }
}
