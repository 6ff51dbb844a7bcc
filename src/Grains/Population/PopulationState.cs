using CustomerGrains.Grains.Classification;
namespace CustomerGrains.Grains.Population;

/// <summary>A store's population statistics and its classification settings.</summary>
[GenerateSerializer, Alias("cg.PopulationState")]
public sealed class PopulationState
{
    [Id(0)] public PopulationSketch Sketch { get; set; } = new();

    [Id(1)] public ClassificationSettings Settings { get; set; } = ClassificationSettings.Default;
}
