using CustomerGrains.Grains.Classification;
namespace CustomerGrains.Grains.Population;

/// <summary>A store's population statistics, its classification, retention and identity settings, its models.</summary>
[GenerateSerializer, Alias("cg.PopulationState")]
public sealed class PopulationState
{
    [Id(0)] public PopulationSketch Sketch { get; set; } = new();

    [Id(1)] public ClassificationSettings Settings { get; set; } = ClassificationSettings.Default;

    /// <summary>The store's purchase models, as last fitted (null until a fit succeeds).</summary>
    [Id(2)] public Prediction.StoreModels? Models { get; set; }

    /// <summary>The store's trained lookalike models by id.</summary>
    [Id(3)] public System.Collections.Immutable.ImmutableDictionary<string, Prediction.StoreLookalike>? Lookalikes { get; set; }

    /// <summary>How long the store keeps inactive customers.</summary>
    [Id(4)] public RetentionSettings Retention { get; set; } = RetentionSettings.None;

    /// <summary>The store's matching traits; null: <see cref="IdentitySettings.Default"/>.</summary>
    [Id(5)] public IdentitySettings? Identity { get; set; }
}
