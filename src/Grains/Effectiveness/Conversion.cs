namespace CustomerGrains.Grains.Effectiveness;

/// <summary>
/// Conversion of the customers who entered a segment in a range: <see cref="Treated"/> members and the
/// <see cref="Control"/> group (the holdout), the <see cref="Difference"/> of their rates (treated − holdout, with
/// Newcombe's interval) and the <see cref="Lift"/> (treated rate / holdout rate − 1, with the log interval); both null
/// while a group is empty, the lift also while the holdout's rate is 0.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.Conversion")]
public sealed record Conversion(
    [property: Id(0)] int WindowDays,
    [property: Id(1)] ConversionGroup Treated,
    [property: Id(2)] ConversionGroup Control,
    [property: Id(3)] Estimate? Difference,
    [property: Id(4)] Estimate? Lift);
