using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.Models;

/// <summary>
/// Per silo, every <see cref="ModelOptions.CheckEvery"/> of the host's clock: asks the model grains of each store with
/// customers to refit (purchase models) and retrain (lookalike models) what is due (<see cref="ModelOptions.RefitEvery"/>). Every silo asks; the grain
/// decides, so a cluster fits each store once per interval.
/// </summary>
public sealed class ModelRefitSchedule(
    IGrainFactory grains, CustomerDirectoryReader customers, IOptions<ModelOptions> options, TimeProvider host, ILogger<ModelRefitSchedule> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckEvery, host);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    foreach (var store in await customers.StoresAsync(stoppingToken))
                    {
                        await grains.GetGrain<IModelGrain>(store).RefitIfDueAsync();
                        await grains.GetGrain<ILookalikeGrain>(store).RetrainDueAsync();
                    }
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogWarning(error, "Scheduled refits of purchase models failed; trying again in {Interval}", options.Value.CheckEvery);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The silo is stopping.
        }
    }
}
