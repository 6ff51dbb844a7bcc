using System.Globalization;

namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// Fits the purchase models to a population by maximum likelihood. A fit is a pure function of the summaries:
/// single-threaded (it may run on a grain's turn), and the same summaries give the same parameters.
/// <para>
/// The optimiser is MathNet's bounded BFGS (<c>BfgsBMinimizer</c>) with the analytic gradient, on the logarithms of the
/// parameters θ = ln(parameter), minimising f(θ) = −LL / customers. Convergence test: max over i of
/// |∂f/∂θᵢ| · max(|θᵢ|, 1) / max(|f|, 1) below <see cref="FitOptions.Tolerance"/> (MathNet's relative gradient; a parameter
/// held by its bound does not count), checked where the search ends. A search that stops short of it (a line search
/// that cannot progress, steps below the tolerance) restarts from its best point with a fresh Hessian, at most three
/// times and within <see cref="FitOptions.MaxIterations"/> iterations in all; if the test still fails the fit is
/// <see cref="FitStatus.NotConverged"/> with the best parameters found.
/// </para>
/// </summary>
public static class PurchaseModels
{
    /// <summary>
    /// The BG/NBD's maximum-likelihood parameters for the population. Customers with identical (x, tx, T) are
    /// grouped once before the search, so the cost of an evaluation is the number of distinct repeat histories.
    /// <para>
    /// Starting values: r = 1, α = ΣT / Σx (so the start's mean purchase rate r/α is the population's observed
    /// repeat rate, in whatever unit the summaries use), a = 1, b = 1. Bounds: r, a, b in [1e-4, 1e4]; α within a factor
    /// 1e6 of its starting value. Convergence: see <see cref="PurchaseModels"/>.
    /// </para>
    /// </summary>
    /// <returns>
    /// <see cref="FitStatus.TooLittleData"/> (no parameters) with fewer than <see cref="FitOptions.MinRepeatBuyers"/>
    /// customers with a repeat purchase (at least one); <see cref="FitStatus.NotConverged"/> with the best parameters found
    /// when the search stopped short of the convergence test.
    /// </returns>
    /// <exception cref="ArgumentException">A summary is not a possible history (negative x, tx outside [0, T], not finite), or the options are (fewer than one iteration, a tolerance that is not positive).</exception>
    public static BgNbdFit FitBgNbd(IReadOnlyList<RepeatSummary> customers, FitOptions? options = null)
    {
        options = Validated(options);
        var likelihood = BgNbdLikelihood.Of(customers);
        var needed = Math.Max(options.MinRepeatBuyers, 1);
        if (likelihood.RepeatBuyers < needed)
        {
            return new BgNbdFit(null, double.NaN, likelihood.Customers, likelihood.RepeatBuyers, FitStatus.TooLittleData, 0,
                Invariant($"{likelihood.RepeatBuyers} of {likelihood.Customers} customers have a repeat purchase; the BG/NBD needs at least {needed}."));
        }

        var alpha = likelihood.SumT / likelihood.SumX;
        var outcome = MaximumLikelihood.Maximise(
            (p, gradient) => likelihood.Evaluate(p[0], p[1], p[2], p[3], gradient),
            start: [1, alpha, 1, 1],
            lower: [1e-4, alpha * 1e-6, 1e-4, 1e-4],
            upper: [1e4, alpha * 1e6, 1e4, 1e4],
            names: ["r", "α", "a", "b"],
            likelihood.Customers,
            options);
        var parameters = outcome.Parameters is [var r, var fittedAlpha, var a, var b] ? new BgNbdParameters(r, fittedAlpha, a, b) : null;
        return new BgNbdFit(parameters, outcome.LogLikelihood, likelihood.Customers, likelihood.RepeatBuyers, outcome.Status, outcome.Iterations, outcome.Message);
    }

    /// <summary>
    /// The Gamma-Gamma's maximum-likelihood parameters, fitted to the customers with a repeat purchase (X &gt; 0) and a
    /// positive mean repeat value (the model has no density for the others; they still get
    /// <see cref="GammaGammaParameters.ExpectedMeanSpend"/>). Customers with identical (x, m) are grouped once.
    /// <para>
    /// Starting values: p = 1, q = 2, γ = the mean of m (so the start's population mean pγ/(q−1) is the observed mean).
    /// Bounds: p, q in [1e-4, 1e4]; γ within a factor 1e8 of its starting value. Convergence: see <see cref="PurchaseModels"/>.
    /// </para>
    /// </summary>
    /// <returns>
    /// <see cref="FitStatus.TooLittleData"/> (no parameters) with fewer such customers than <see cref="FitOptions.MinRepeatBuyers"/>
    /// (at least one); <see cref="FitStatus.NotConverged"/> with the best parameters found when the search stopped short.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one iteration or a tolerance that is not positive.</exception>
    public static GammaGammaFit FitGammaGamma(IReadOnlyList<RepeatSummary> customers, FitOptions? options = null)
    {
        options = Validated(options);
        var likelihood = GammaGammaLikelihood.Of(customers);
        var needed = Math.Max(options.MinRepeatBuyers, 1);
        if (likelihood.Customers < needed)
        {
            return new GammaGammaFit(null, double.NaN, likelihood.Customers, FitStatus.TooLittleData, 0,
                Invariant($"{likelihood.Customers} customers have a repeat purchase with a positive value; the Gamma-Gamma needs at least {needed}."));
        }

        var gamma = likelihood.MeanValue;
        var outcome = MaximumLikelihood.Maximise(
            (p, gradient) => likelihood.Evaluate(p[0], p[1], p[2], gradient),
            start: [1, 2, gamma],
            lower: [1e-4, 1e-4, gamma * 1e-8],
            upper: [1e4, 1e4, gamma * 1e8],
            names: ["p", "q", "γ"],
            likelihood.Customers,
            options);
        var parameters = outcome.Parameters is [var p, var q, var g] ? new GammaGammaParameters(p, q, g) : null;
        return new GammaGammaFit(parameters, outcome.LogLikelihood, likelihood.Customers, outcome.Status, outcome.Iterations, outcome.Message);
    }

    private static FitOptions Validated(FitOptions? options)
    {
        options ??= new FitOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIterations, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Tolerance, nameof(options));
        return options;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
