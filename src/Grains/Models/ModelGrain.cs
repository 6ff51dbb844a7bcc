using System.Diagnostics;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Infrastructure.Telemetry;
using CustomerGrains.Grains.Population;
using CustomerGrains.Grains.Prediction;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.Models;

public sealed class ModelGrain(
    [PersistentState(StorageNames.ModelState, StorageNames.Provider)] IPersistentState<ModelState> state,
    PurchaseRowReader purchases,
    IOptions<ModelOptions> options,
    [FromKeyedServices(EngineClock.Key)] TimeProvider time,
    ILogger<ModelGrain> logger,
    EngineMetrics metrics) : Grain, IModelGrain
{
    public Task<(ModelReport? Latest, ModelReport? InUse)> GetAsync() => Task.FromResult((state.State.Latest, state.State.InUse));

    public async Task RefitIfDueAsync()
    {
        if (state.State.LastTried is { } tried && time.GetUtcNow() - tried < options.Value.RefitEvery)
        {
            return;
        }

        var report = await FitAsync(null, null);
        logger.LogInformation(
            "Scheduled fit of the purchase models of store {Store}: {Status} on {Customers} customers in {Took}",
            this.GetPrimaryKeyString(), report.BgNbd.Status, report.Customers, report.Took);
    }

    public async Task<ModelReport> FitAsync(DateTimeOffset? asOf, ModelTimeUnit? unit)
    {
        var settings = options.Value;
        var started = time.GetUtcNow();
        var at = asOf ?? started;
        var inUnit = unit ?? settings.TimeUnit;
        var clock = Stopwatch.StartNew();

        // The index is read on this activation's turn (I/O); the fit, seconds of CPU for a large store, runs on the
        // thread pool so that reads of this grain are answered meanwhile (they interleave).
        ModelReport report;
        try
        {
            var customers = await ModelFitting.ReadAsync(purchases, this.GetPrimaryKeyString(), at, inUnit);
            report = await Task.Run(() => ModelFitting.Fit(customers, at, inUnit, started, settings));
        }
        catch
        {
            metrics.ModelFitted("purchase", fitted: false, clock.Elapsed.TotalSeconds);
            throw;
        }

        report = report with { Took = clock.Elapsed };
        metrics.ModelFitted("purchase", report.InUse, report.Took.TotalSeconds);

        state.State.Latest = report;
        state.State.LastTried = started;
        if (report.InUse)
        {
            state.State.InUse = report;
        }

        await state.WriteStateAsync();
        if (report.InUse)
        {
            await GrainFactory.GetGrain<IPopulationGrain>(this.GetPrimaryKeyString()).SetModelsAsync(report.Models);
        }

        return report;
    }
}
