using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CustomerGrains.Grains.Classification;

namespace CustomerGrains.Grains.Population;

/// <summary>
/// Per silo: merges its customers' statistics changes per store and sends one delta per store every
/// <see cref="ClassificationOptions.ReportEvery"/>, so the population grain sees a few calls a second,
/// not one per customer change. A delta that cannot be sent is kept for the next round.
/// </summary>
public sealed class PopulationReporter : IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly ILogger<PopulationReporter> _logger;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private Dictionary<string, PopulationSketch> _pending = new(StringComparer.Ordinal);

    public PopulationReporter(IGrainFactory grains, IOptions<ClassificationOptions> options, ILogger<PopulationReporter> logger)
    {
        _grains = grains;
        _logger = logger;
        _ = Task.Run(() => RunAsync(options.Value.ReportEvery));
    }

    public void Report(string store, CustomerStats? previous, CustomerStats? current)
    {
        lock (_lock)
        {
            PendingFor(store).Apply(previous, current);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private PopulationSketch PendingFor(string store) =>
        _pending.TryGetValue(store, out var sketch) ? sketch : _pending[store] = new PopulationSketch();

    private async Task RunAsync(TimeSpan every)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
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
                        await _grains.GetGrain<IPopulationGrain>(store).MergeAsync(delta);
                    }
                    catch (Exception error)
                    {
                        _logger.LogWarning(error, "Population statistics for store {Store} not sent; retrying", store);
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
