using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace CustomerGrains.Grains.Deadlines;

/// <summary>
/// Once the silo is active, and every 30 s after, makes sure every deadline shard that has stored
/// deadlines is active and armed: after a restart, or when the silo that hosted a shard died.
/// </summary>
public sealed class DeadlineStartup(IGrainFactory grains, DeadlineRowReader deadlines, ILogger<DeadlineStartup> logger)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DeadlineStartup), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    public void Dispose() => _stop.Dispose();

    private Task OnStartAsync(CancellationToken ct)
    {
        _ = Task.Run(KeepShardsAwakeAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private Task OnStopAsync(CancellationToken ct)
    {
        _stop.Cancel();
        return Task.CompletedTask;
    }

    private async Task KeepShardsAwakeAsync()
    {
        using var every = new PeriodicTimer(TimeSpan.FromSeconds(30));
        try
        {
            do
            {
                try
                {
                    var shards = await deadlines.ShardsWithDeadlinesAsync();
                    await Task.WhenAll(shards.Select(s => DeadlineShards.Grain(grains, s.Store, s.Shard).WakeAsync()));
                }
                catch (Exception error) when (!_stop.IsCancellationRequested)
                {
                    logger.LogWarning(error, "Waking deadline shards failed; trying again in 30 s");
                }
            }
            while (await every.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            // The silo is stopping.
        }
    }
}
