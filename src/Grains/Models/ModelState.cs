namespace CustomerGrains.Grains.Models;

/// <summary>A store's latest fit and when one was last tried (a failed try counts: it is not retried before the next refit is due).</summary>
[GenerateSerializer, Alias("cg.ModelState")]
public sealed class ModelState
{
    [Id(0)] public ModelReport? Latest { get; set; }

    /// <summary>The fit whose models customers use (the latest that converged).</summary>
    [Id(1)] public ModelReport? InUse { get; set; }

    [Id(2)] public DateTimeOffset? LastTried { get; set; }
}
