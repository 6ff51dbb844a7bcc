using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// Per silo, once the host has started (the silo is active by then) and every 30 s after: wakes the webhooks of every store
/// that has some (<see cref="IWebhookStoresGrain"/>), so their deliveries go on after a restart, or when the silo that ran a
/// deliverer died. Every silo wakes them all; each deliverer is one grain, so a cluster runs it once.
/// </summary>
public sealed class WebhookKeeper(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<WebhookKeeper> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(stoppingToken);
            }

            using var every = new PeriodicTimer(Every);
            do
            {
                try
                {
                    var stores = await grains.GetGrain<IWebhookStoresGrain>(IWebhookStoresGrain.Key).ListAsync();
                    await Task.WhenAll(stores.Select(s => grains.GetGrain<IWebhookCatalogGrain>(s).WakeAsync()));
                }
                catch (Exception error) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(error, "Waking webhook deliverers failed; trying again in 30 s");
                }
            }
            while (await every.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
    }
}
