using System.Collections.Immutable;
using CustomerGrains.Grains.Quality;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.DataQuality;

/// <summary>
/// Per silo: keeps its customers' newest facts per store and sends them as one batch per store every
/// <see cref="QualityOptions.ReportEvery"/>, so a store's report sees a few calls a second, not one per commit. What was
/// sent is kept until the report says it is written (<see cref="QualityAck"/>), and sent again if the report restarted
/// before writing it; a batch that cannot be sent is kept for the next round. Updates are versioned, so sending one
/// again, or late, is harmless.
/// </summary>
public sealed class QualityReporter(IGrainFactory grains, IOptions<QualityOptions> options, ILogger<QualityReporter> logger)
    : BackgroundService
{
    private readonly Lock _lock = new();
    private Dictionary<string, Dictionary<string, QualityUpdate>> _pending = new(StringComparer.Ordinal);

    // The sending loop's own: per store, batches sent and not yet written by the report.
    private readonly Dictionary<string, Unwritten> _unwritten = new(StringComparer.Ordinal);

    public void Report(string store, QualityUpdate update)
    {
        lock (_lock)
        {
            Keep(store, update);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReportEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Dictionary<string, Dictionary<string, QualityUpdate>> sending;
                lock (_lock)
                {
                    (sending, _pending) = (_pending, new Dictionary<string, Dictionary<string, QualityUpdate>>(StringComparer.Ordinal));
                }

                foreach (var store in sending.Keys.Union(_unwritten.Keys).ToList())
                {
                    ImmutableArray<QualityUpdate> batch = sending.TryGetValue(store, out var updates) ? [.. updates.Values] : [];
                    try
                    {
                        Written(store, batch, await grains.GetGrain<IQualityGrain>(store).MergeAsync(batch));
                    }
                    catch (Exception error)
                    {
                        logger.LogWarning(error, "Data-quality updates for store {Store} not sent; retrying", store);
                        Requeue(store, batch);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The silo is stopping.
        }
    }

    /// <summary>Keeps a batch the report took until it says the batch is written; resends what a restarted report may have lost.</summary>
    private void Written(string store, ImmutableArray<QualityUpdate> batch, QualityAck ack)
    {
        if (!_unwritten.TryGetValue(store, out var unwritten))
        {
            _unwritten[store] = unwritten = new Unwritten(ack.Epoch);
        }

        if (unwritten.Epoch != ack.Epoch)
        {
            foreach (var (_, lost) in unwritten.Batches)
            {
                Requeue(store, lost);
            }

            unwritten.Batches.Clear();
            unwritten.Epoch = ack.Epoch;
        }

        if (!batch.IsEmpty)
        {
            unwritten.Batches.Add((ack.Merge, batch));
        }

        unwritten.Batches.RemoveAll(b => b.Merge <= ack.WrittenThrough);
        if (unwritten.Batches.Count == 0)
        {
            _unwritten.Remove(store);
        }
    }

    private void Requeue(string store, ImmutableArray<QualityUpdate> batch)
    {
        lock (_lock)
        {
            foreach (var update in batch)
            {
                Keep(store, update);
            }
        }
    }

    private void Keep(string store, QualityUpdate update)
    {
        if (!_pending.TryGetValue(store, out var updates))
        {
            _pending[store] = updates = new Dictionary<string, QualityUpdate>(StringComparer.Ordinal);
        }

        if (update.Supersedes(updates.GetValueOrDefault(update.CustomerId)))
        {
            updates[update.CustomerId] = update;
        }
    }

    private sealed class Unwritten(Guid epoch)
    {
        public Guid Epoch { get; set; } = epoch;

        public List<(long Merge, ImmutableArray<QualityUpdate> Batch)> Batches { get; } = [];
    }
}
