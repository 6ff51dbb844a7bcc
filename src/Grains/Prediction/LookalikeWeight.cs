namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// One effective variable of a lookalike model: <see cref="Feature"/> "country" with <see cref="Value"/> "ES", or a
/// number (<see cref="Value"/> null). <see cref="Weight"/> is in log-odds, for the value's presence or per standard
/// deviation of the number; <see cref="OddsRatio"/> = exp(<see cref="Weight"/>); <see cref="Text"/> is what a
/// marketer reads: "country = ES: ×2.4", "visits_30d: ×1.8 per +3.2".
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.LookalikeWeight")]
public sealed record LookalikeWeight(
    [property: Id(0)] string Feature,
    [property: Id(1)] string? Value,
    [property: Id(2)] double Weight,
    [property: Id(3)] double OddsRatio,
    [property: Id(4)] string Text);
