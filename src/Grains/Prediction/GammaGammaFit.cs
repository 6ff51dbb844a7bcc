namespace CustomerGrains.Grains.Prediction;

/// <summary>The outcome of fitting the Gamma-Gamma spend model to the repeat buyers of a population.</summary>
/// <param name="Parameters">The maximum-likelihood parameters; null when <paramref name="Status"/> is <see cref="FitStatus.TooLittleData"/>.</param>
/// <param name="LogLikelihood">The repeat buyers' log-likelihood at <paramref name="Parameters"/> (NaN without parameters).</param>
/// <param name="Customers">Customers fitted: those with a repeat purchase day and a positive mean repeat value.</param>
/// <param name="Status">How the fit ended.</param>
/// <param name="Iterations">The optimiser's iterations.</param>
/// <param name="Message">Why the fit is not <see cref="FitStatus.Converged"/>, or what to know about it; null when there is nothing to say.</param>
[GenerateSerializer, Immutable, Alias("cg.GammaGammaFit")]
public sealed record GammaGammaFit(
    [property: Id(0)] GammaGammaParameters? Parameters,
    [property: Id(1)] double LogLikelihood,
    [property: Id(2)] int Customers,
    [property: Id(3)] FitStatus Status,
    [property: Id(4)] int Iterations,
    [property: Id(5)] string? Message);
