using CustomerGrains.Grains.Quality;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.DataQuality;

/// <summary>
/// Per silo: keeps its customers' newest facts per store (<see cref="QualityOutbox"/>) and sends them as one batch per
/// store every <see cref="QualityOptions.ReportEvery"/>, so a store's report sees a few calls a second, not one per
/// commit. What was sent is kept until the report says it is written, and sent again if the report restarted before
/// writing it; a batch that cannot be sent is kept for the next round. Updates are versioned, so sending one again, or
/// late, is harmless.
/// </summary>
public sealed class QualityReporter(IGrainFactory grains, IOptions<QualityOptions> options, ILogger<QualityReporter> logger)
    : BackgroundService
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, QualityOutbox> _stores = new(StringComparer.Ordinal);

    public void Report(string store, QualityUpdate update)
    {
        lock (_lock)
        {
            if (!_stores.TryGetValue(store, out var outbox))
            {
                _stores[store] = outbox = new QualityOutbox();
            }

            outbox.Keep(update);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReportEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                List<(string Store, QualityOutbox Outbox, System.Collections.Immutable.ImmutableArray<QualityUpdate> Batch)> sending;
                lock (_lock)
                {
                    foreach (var idle in _stores.Where(s => s.Value.IsIdle).Select(s => s.Key).ToList())
                    {
                        _stores.Remove(idle);
                    }

                    sending = [.. _stores.Select(s => (s.Key, s.Value, s.Value.Take()))];
                }

                foreach (var (store, outbox, batch) in sending)
                {
                    try
                    {
                        var ack = await grains.GetGrain<IQualityGrain>(store).MergeAsync(batch);
                        lock (_lock)
                        {
                            outbox.Sent(batch, ack);
                        }
                    }
                    catch (Exception error)
                    {
                        logger.LogWarning(error, "Data-quality updates for store {Store} not sent; retrying", store);
                        lock (_lock)
                        {
                            outbox.Failed(batch);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The silo is stopping.
        }
    }
}
