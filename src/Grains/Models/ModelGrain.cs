using System.Diagnostics;
using CustomerGrains.Grains.Infrastructure;
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
    ILogger<ModelGrain> logger) : Grain, IModelGrain
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
        var customers = new List<(RepeatSummary Summary, PurchaseDay[] Days)>();
        await purchases.ForEachAsync(this.GetPrimaryKeyString(), (_, blob) =>
        {
            var days = PurchaseDayCodec.Decode(blob);
            if (PurchaseSummaries.Of(days, at, inUnit) is { } summary)
            {
                customers.Add((summary, days));
            }
        });
        var report = await Task.Run(() => Fit(customers, at, inUnit, started, settings));
        report = report with { Took = clock.Elapsed };

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

    /// <summary>
    /// Both fits, then the potential cut points: the 80th and 50th percentiles of the predicted value (CLV) of the
    /// customers with orders as of the fit. Models are in use only when BG/NBD converged; Gamma-Gamma may fail alone
    /// (spend then falls back to each customer's own mean, see <see cref="CustomerPotential"/>).
    /// </summary>
    private static ModelReport Fit(
        List<(RepeatSummary Summary, PurchaseDay[] Days)> customers, DateTimeOffset asOf, ModelTimeUnit unit, DateTimeOffset fittedAt, ModelOptions settings)
    {
        var summaries = customers.ConvertAll(c => c.Summary);
        var fitOptions = new FitOptions(MinRepeatBuyers: settings.MinRepeatBuyers);
        var bgNbd = PurchaseModels.FitBgNbd(summaries, fitOptions);
        var gammaGamma = PurchaseModels.FitGammaGamma(summaries, fitOptions);
        StoreModels? models = null;
        if (bgNbd is { Status: FitStatus.Converged, Parameters: { } parameters })
        {
            var draft = new StoreModels(
                parameters,
                gammaGamma.Status == FitStatus.Converged ? gammaGamma.Parameters : null,
                unit,
                settings.ClvHorizon,
                settings.AnnualDiscountRate,
                HighFrom: double.PositiveInfinity,
                MediumFrom: double.PositiveInfinity,
                fittedAt);
            var values = customers.ConvertAll(c => CustomerPotential.Clv(draft, c.Summary, c.Days));
            values.Sort();
            models = draft with { HighFrom = Percentile(values, 0.8), MediumFrom = Percentile(values, 0.5) };
        }

        return new ModelReport(bgNbd, gammaGamma, unit, asOf, fittedAt, TimeSpan.Zero, customers.Count, models, InUse: models is not null);
    }

    /// <summary>The value at or above which the top (1 − <paramref name="share"/>) of the sorted values lie.</summary>
    private static double Percentile(List<double> sorted, double share) =>
        sorted.Count == 0 ? double.PositiveInfinity : sorted[Math.Min(sorted.Count - 1, (int)Math.Floor(share * sorted.Count))];
}
