using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CustomerGrains.Grains.Deadlines;

/// <summary>
/// Once the host has started (the silo is active by then), and every 30 s after, makes sure every deadline
/// shard that has stored deadlines is active and armed: after a restart, or when the silo that hosted a shard died.
/// </summary>
public sealed class DeadlineShardKeeper(IGrainFactory grains, DeadlineRowReader deadlines, IHostApplicationLifetime lifetime, ILogger<DeadlineShardKeeper> logger)
    : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Hosted services start in order and the silo is one of them: grains answer once all have started.
            await WhenStartedAsync(stoppingToken);
            using var every = new PeriodicTimer(Every);
            do
            {
                try
                {
                    var shards = await deadlines.ShardsWithDeadlinesAsync();
                    await Task.WhenAll(shards.Select(s => DeadlineShards.Grain(grains, s.Store, s.Shard).WakeAsync()));
                }
                catch (Exception error) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(error, "Waking deadline shards failed; trying again in 30 s");
                }
            }
            while (await every.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
    }

    private async Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }
}
