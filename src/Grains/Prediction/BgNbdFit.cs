namespace CustomerGrains.Grains.Prediction;

/// <summary>The outcome of fitting the BG/NBD model to a population.</summary>
/// <param name="Parameters">The maximum-likelihood parameters; null when <paramref name="Status"/> is <see cref="FitStatus.TooLittleData"/>.</param>
/// <param name="LogLikelihood">The population's log-likelihood at <paramref name="Parameters"/> (NaN without parameters).</param>
/// <param name="Customers">Customers fitted.</param>
/// <param name="RepeatBuyers">Of them, customers with at least one repeat purchase day.</param>
/// <param name="Status">How the fit ended.</param>
/// <param name="Iterations">The optimiser's iterations.</param>
/// <param name="Message">Why the fit is not <see cref="FitStatus.Converged"/>, or what to know about it (a parameter at its bound); null when there is nothing to say.</param>
[GenerateSerializer, Immutable, Alias("cg.BgNbdFit")]
public sealed record BgNbdFit(
    [property: Id(0)] BgNbdParameters? Parameters,
    [property: Id(1)] double LogLikelihood,
    [property: Id(2)] int Customers,
    [property: Id(3)] int RepeatBuyers,
    [property: Id(4)] FitStatus Status,
    [property: Id(5)] int Iterations,
    [property: Id(6)] string? Message);
