using CustomerGrains.Grains.Prediction;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Models;

/// <summary>
/// A store's purchase models (key: store id): fits BG/NBD and Gamma-Gamma on the store's purchase index
/// (<c>cg_purchases</c>, no customer grain is woken), keeps the latest fit and hands converged models to the store's
/// population, through which every customer reads them and is re-decided. One fit at a time; reads answer during one.
/// </summary>
[Alias("cg.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>The latest fit and the one in use; nulls before the first.</summary>
    [Alias("Get"), ReadOnly, AlwaysInterleave]
    Task<(ModelReport? Latest, ModelReport? InUse)> GetAsync();

    /// <summary>Fits now, on the customers' purchases up to <paramref name="asOf"/> (default: now), in <paramref name="unit"/> (default: the setting).</summary>
    [Alias("Fit")]
    Task<ModelReport> FitAsync(DateTimeOffset? asOf, ModelTimeUnit? unit);

    /// <summary>Fits if the last try is older than the refit interval (the schedule's call).</summary>
    [Alias("RefitIfDue")]
    Task RefitIfDueAsync();
}
