using CustomerGrains.Grains.Classification;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Population;

/// <summary>
/// A store's population statistics (key: store id): merges the changes silos send, serves the
/// distributions classifications are computed from, and re-evaluates the store's customers after the
/// population changed, so segments on value tiers and RFM follow within
/// <see cref="ClassificationOptions.ReclassifyEvery"/> plus one pass.
/// </summary>
[Alias("cg.IPopulationGrain")]
public interface IPopulationGrain : IGrainWithStringKey
{
    [Alias("Merge")]
    Task MergeAsync(PopulationSketch delta);

    [Alias("Thresholds"), ReadOnly, AlwaysInterleave]
    Task<PopulationThresholds> GetThresholdsAsync();

    [Alias("GetSettings"), ReadOnly, AlwaysInterleave]
    Task<ClassificationSettings> GetSettingsAsync();

    /// <summary>Replaces the store's settings; customers are reclassified as after any population change.</summary>
    [Alias("SetSettings")]
    Task SetSettingsAsync(ClassificationSettings settings);

    [Alias("GetRetention"), ReadOnly, AlwaysInterleave]
    Task<RetentionSettings> GetRetentionAsync();

    /// <summary>
    /// Replaces the store's retention of inactive customers; customers are re-decided as after any population change,
    /// and each registers when it is to be purged (a deadline), those already due at once.
    /// </summary>
    [Alias("SetRetention")]
    Task SetRetentionAsync(RetentionSettings retention);

    [Alias("GetIdentity"), ReadOnly, AlwaysInterleave]
    Task<IdentitySettings> GetIdentityAsync();

    /// <summary>Replaces the store's matching traits; they apply to the values customers take from then on.</summary>
    [Alias("SetIdentity")]
    Task SetIdentityAsync(IdentitySettings identity);

    /// <summary>Replaces the store's purchase models (a refit); customers are re-decided as after any population change.</summary>
    [Alias("SetModels")]
    Task SetModelsAsync(Prediction.StoreModels? models);

    /// <summary>Replaces (or, with null, removes) one of the store's lookalike models; customers are re-decided.</summary>
    [Alias("SetLookalike")]
    Task SetLookalikeAsync(string id, Prediction.StoreLookalike? lookalike);
}
