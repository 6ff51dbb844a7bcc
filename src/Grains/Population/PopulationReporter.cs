using CustomerGrains.Grains.Classification;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.Population;

/// <summary>
/// Per silo: merges its customers' statistics changes per store and sends one delta per store every
/// <see cref="ClassificationOptions.ReportEvery"/>, so the population grain sees a few calls a second,
/// not one per customer change. A delta that cannot be sent is kept for the next round.
/// </summary>
public sealed class PopulationReporter(IGrainFactory grains, IOptions<ClassificationOptions> options, ILogger<PopulationReporter> logger)
    : BackgroundService
{
    private readonly Lock _lock = new();
    private Dictionary<string, PopulationSketch> _pending = new(StringComparer.Ordinal);

    public void Report(string store, CustomerStats? previous, CustomerStats? current)
    {
        lock (_lock)
        {
            PendingFor(store).Apply(previous, current);
        }
    }

    private PopulationSketch PendingFor(string store) =>
        _pending.TryGetValue(store, out var sketch) ? sketch : _pending[store] = new PopulationSketch();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReportEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Dictionary<string, PopulationSketch> sending;
                lock (_lock)
                {
                    (sending, _pending) = (_pending, new Dictionary<string, PopulationSketch>(StringComparer.Ordinal));
                }

                foreach (var (store, delta) in sending.Where(p => !p.Value.IsEmpty))
                {
                    try
                    {
                        await grains.GetGrain<IPopulationGrain>(store).MergeAsync(delta);
                    }
                    catch (Exception error)
                    {
                        logger.LogWarning(error, "Population statistics for store {Store} not sent; retrying", store);
                        lock (_lock)
                        {
                            PendingFor(store).Merge(delta);
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
