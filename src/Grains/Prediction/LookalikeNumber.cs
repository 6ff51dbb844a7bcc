namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// A numeric feature of a lookalike model: the training <see cref="Mean"/> and <see cref="StandardDeviation"/> that
/// normalised it, and the <see cref="Weight"/> in log-odds per standard deviation above the mean.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.LookalikeNumber")]
public sealed record LookalikeNumber(
    [property: Id(0)] double Mean,
    [property: Id(1)] double StandardDeviation,
    [property: Id(2)] double Weight)
{
    /// <summary>What <paramref name="value"/> adds to the log-odds; nothing when it is not a finite number.</summary>
    public double LogOdds(double value) => double.IsFinite(value) ? Weight * (value - Mean) / StandardDeviation : 0;
}
