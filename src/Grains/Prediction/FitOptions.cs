namespace CustomerGrains.Grains.Prediction;

/// <summary>How a purchase model is fitted.</summary>
/// <param name="MinRepeatBuyers">Fewer customers with a repeat purchase than this and the fit is <see cref="FitStatus.TooLittleData"/>: with few repeat buyers the likelihood is flat and the parameters are noise.</param>
/// <param name="MaxIterations">The optimiser's iteration limit (iterations, not likelihood evaluations).</param>
/// <param name="Tolerance">The convergence test: the relative gradient of −LL/customers on the log-parameters below this (see <see cref="PurchaseModels"/>).</param>
public sealed record FitOptions(int MinRepeatBuyers = 100, int MaxIterations = 2000, double Tolerance = 1e-8);
