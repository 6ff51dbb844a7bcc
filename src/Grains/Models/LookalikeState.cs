namespace CustomerGrains.Grains.Models;

/// <summary>A store's lookalike models by id.</summary>
[GenerateSerializer, Alias("cg.LookalikeState")]
public sealed class LookalikeState
{
    [Id(0)] public Dictionary<string, LookalikeInfo> Lookalikes { get; set; } = new(StringComparer.Ordinal);
}
