using CustomerGrains.Grains.Prediction;
using CustomerGrains.Grains.Storage;

namespace CustomerGrains.Grains.Models;

/// <summary>A fit of a store's purchase models as the model grain runs it (and the fit benchmark times it): read the index, fit, set the cut points.</summary>
public static class ModelFitting
{
    /// <summary>Every customer of the store's purchase index with a purchase by <paramref name="asOf"/>: its summary then, and its days.</summary>
    public static async Task<List<(RepeatSummary Summary, PurchaseDay[] Days)>> ReadAsync(PurchaseRowReader purchases, string store, DateTimeOffset asOf, ModelTimeUnit unit)
    {
        var customers = new List<(RepeatSummary Summary, PurchaseDay[] Days)>();
        await purchases.ForEachAsync(store, (_, blob, orders) =>
        {
            var days = PurchaseHistory.Decode(blob, orders).Days;
            if (PurchaseSummaries.Of(days, asOf, unit) is { } summary)
            {
                customers.Add((summary, days));
            }
        });
        return customers;
    }

    /// <summary>
    /// Both fits, then the potential cut points: the 80th and 50th percentiles of the predicted value (CLV) of the
    /// customers with orders as of the fit. Models are in use only when BG/NBD converged; Gamma-Gamma may fail alone
    /// (spend then falls back to each customer's own mean, see <see cref="CustomerPotential"/>).
    /// </summary>
    public static ModelReport Fit(
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
                // A Gamma-Gamma whose q ≤ 1 has no finite mean spend: spend falls back to each customer's own mean.
                gammaGamma is { Status: FitStatus.Converged, Parameters.Q: > 1 } ? gammaGamma.Parameters : null,
                unit,
                settings.ClvHorizon,
                settings.AnnualDiscountRate,
                HighFrom: double.PositiveInfinity,
                MediumFrom: double.PositiveInfinity,
                fittedAt);
            var values = customers.ConvertAll(c => CustomerPotential.Clv(draft, c.Summary, c.Days)).FindAll(double.IsFinite);
            values.Sort();
            models = draft with { HighFrom = Percentile(values, 0.8), MediumFrom = Percentile(values, 0.5) };
        }

        return new ModelReport(bgNbd, gammaGamma, unit, asOf, fittedAt, TimeSpan.Zero, customers.Count, models, InUse: models is not null);
    }

    /// <summary>The value at or above which the top (1 − <paramref name="share"/>) of the sorted values lie.</summary>
    private static double Percentile(List<double> sorted, double share) =>
        sorted.Count == 0 ? double.PositiveInfinity : sorted[Math.Min(sorted.Count - 1, (int)Math.Floor(share * sorted.Count))];
}
