using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// Maximises a log-likelihood over positive parameters with MathNet's bounded BFGS (<see cref="BfgsBMinimizer"/>) on
/// their logarithms θ = ln(parameter), minimising f(θ) = −LL / n (n: the customers, so that f and its gradient do not
/// grow with the population).
/// <para>
/// Why BFGS with the analytic gradient rather than Nelder-Mead: a fit over a million customers costs one pass over
/// the groups per evaluation, and BFGS converges in tens of evaluations where the simplex needs hundreds. Why the
/// logarithms: the parameters live on very different scales (r ≈ 0.2 next to α ≈ 4 weeks or 30 days), and
/// multiplicative steps suit positive parameters; the bounds then only keep trial points where exp and the Γ
/// functions are finite, and a parameter that ends on one says the data do not pin it down.
/// </para>
/// <para>
/// Convergence test (MathNet's relative gradient, on θ): max over i of |∂f/∂θᵢ| · max(|θᵢ|, 1) / max(|f|, 1) below
/// <see cref="FitOptions.Tolerance"/>, the gradient projected on the bounds (a parameter held by its bound does not
/// count). It is checked where the search ends: MathNet's last iterate. A search that ends short of it (a line search
/// that fails or cannot progress, the iteration limit) goes on from the best point evaluated, with a fresh Hessian, at
/// most <see cref="Restarts"/> times, within <see cref="FitOptions.MaxIterations"/> iterations in all, and only while
/// it improves; the fit is <see cref="FitStatus.Converged"/> only when the test holds.
/// </para>
/// </summary>
internal static class MaximumLikelihood
{
    public const int Restarts = 3;

    private const string IterationLimit = "the iteration limit";

    /// <summary>The log-likelihood at the parameters, and its gradient (by the parameters, not their logarithms).</summary>
    public delegate double LogLikelihood(ReadOnlySpan<double> parameters, Span<double> gradient);

    /// <summary>The best parameters found (null when none gave a finite likelihood) and how the search ended.</summary>
    public sealed record Outcome(double[]? Parameters, double LogLikelihood, FitStatus Status, int Iterations, string? Message);

    public static Outcome Maximise(LogLikelihood logLikelihood, double[] start, double[] lower, double[] upper, string[] names, double customers, FitOptions options)
    {
        var dimension = start.Length;
        var theta = Vector<double>.Build.Dense(dimension, i => Math.Log(start[i]));
        var lowerTheta = Vector<double>.Build.Dense(dimension, i => Math.Log(lower[i]));
        var upperTheta = Vector<double>.Build.Dense(dimension, i => Math.Log(upper[i]));
        var best = (Value: double.PositiveInfinity, Theta: theta, Gradient: Vector<double>.Build.Dense(dimension));
        var parameters = new double[dimension];
        var gradient = new double[dimension];

        var objective = ObjectiveFunction.Gradient(point =>
        {
            for (var i = 0; i < dimension; i++)
            {
                parameters[i] = Math.Exp(point[i]);
            }

            var ll = logLikelihood(parameters, gradient);
            var thetaGradient = Vector<double>.Build.Dense(dimension, i => -parameters[i] * gradient[i] / customers);
            var value = -ll / customers;
            if (!double.IsFinite(value) || thetaGradient.Exists(g => !double.IsFinite(g)))
            {
                // +∞ makes the line search step back; MathNet refuses it as an iterate.
                return (double.PositiveInfinity, Vector<double>.Build.Dense(dimension));
            }

            if (value < best.Value)
            {
                best = (value, point.Clone(), thetaGradient);
            }

            return (value, thetaGradient);
        });

        // Where each attempt ended: MathNet's last iterate when it meets the test; otherwise the best point evaluated
        // (MathNet can end on a line search's last trial, which need not be its best).
        (double Value, Vector<double> Theta, Vector<double> Gradient)? final = null;
        var iterations = 0;
        string? stopped = null;
        for (var attempt = 0; attempt <= Restarts && iterations < options.MaxIterations; attempt++)
        {
            var previous = final;
            var minimizer = new CountingBfgsBMinimizer(options.Tolerance, options.Tolerance, options.Tolerance, options.MaxIterations - iterations);
            try
            {
                var result = minimizer.FindMinimum(objective, lowerTheta, upperTheta, previous?.Theta ?? theta);
                var at = result.FunctionInfoAtMinimum;
                final = (at.Value, at.Point, at.Gradient);
                stopped = result.ReasonForExit switch
                {
                    ExitCondition.RelativeGradient => "the gradient test",
                    ExitCondition.LackOfProgress => "steps below the tolerance",
                    var other => other.ToString(),
                };
            }
            catch (Exception e) when (e is OptimizationException or ArgumentException)
            {
                final = null;
                stopped = e switch
                {
                    MaximumIterationsException => IterationLimit,
                    EvaluationException => "a likelihood that is not finite",
                    _ => e.InnerException?.Message ?? e.Message,
                };
            }

            // As MathNet counts them: it stops at its limit before the last search direction.
            iterations += stopped == IterationLimit ? minimizer.MaximumIterations : minimizer.Iterations;
            if (final is { } f && RelativeGradient(f.Value, f.Theta, f.Gradient, lowerTheta, upperTheta) < options.Tolerance)
            {
                break;
            }

            if (best.Value < (final?.Value ?? double.PositiveInfinity))
            {
                final = best;
            }

            if (final is not { } ended || (previous is { } p && !(ended.Value < p.Value)))
            {
                final ??= previous;
                break;
            }
        }

        if (final is not { } end)
        {
            return new Outcome(null, double.NaN, FitStatus.NotConverged, iterations, "The likelihood is not finite at the starting values.");
        }

        var fitted = end.Theta.Select(Math.Exp).ToArray();
        var relativeGradient = RelativeGradient(end.Value, end.Theta, end.Gradient, lowerTheta, upperTheta);
        var atBounds = Enumerable.Range(0, dimension)
            .Where(i => end.Theta[i] - lowerTheta[i] < 1e-9 || upperTheta[i] - end.Theta[i] < 1e-9)
            .Select(i => string.Create(CultureInfo.InvariantCulture, $"{names[i]} = {fitted[i]:G4} is at its bound: the data do not pin it down"))
            .ToArray();
        var converged = relativeGradient < options.Tolerance;
        var message = converged
            ? atBounds.Length == 0 ? null : string.Join("; ", atBounds) + "."
            : string.Create(CultureInfo.InvariantCulture, $"Stopped by {stopped} after {iterations} iterations with a relative gradient of {relativeGradient:G3} (the test is {options.Tolerance:G3}).")
                + (atBounds.Length == 0 ? "" : " " + string.Join("; ", atBounds) + ".");
        return new Outcome(fitted, -end.Value * customers, converged ? FitStatus.Converged : FitStatus.NotConverged, iterations, message);
    }

    /// <summary>MathNet's relative-gradient test, with the gradient projected on the bounds.</summary>
    private static double RelativeGradient(double value, Vector<double> theta, Vector<double> gradient, Vector<double> lower, Vector<double> upper)
    {
        var normaliser = Math.Max(Math.Abs(value), 1);
        var largest = 0.0;
        for (var i = 0; i < theta.Count; i++)
        {
            var g = gradient[i];
            if (theta[i] - lower[i] < 1e-15)
            {
                g = Math.Min(g, 0);
            }
            else if (upper[i] - theta[i] < 1e-15)
            {
                g = Math.Max(g, 0);
            }

            largest = Math.Max(largest, Math.Abs(g) * Math.Max(Math.Abs(theta[i]), 1) / normaliser);
        }

        return largest;
    }

    /// <summary>MathNet's bounded BFGS, counting its iterations (one search direction each), which it reports only when it returns normally.</summary>
    private sealed class CountingBfgsBMinimizer(double gradientTolerance, double parameterTolerance, double functionProgressTolerance, int maximumIterations)
        : BfgsBMinimizer(gradientTolerance, parameterTolerance, functionProgressTolerance, maximumIterations)
    {
        public int Iterations { get; private set; }

        protected override Vector<double> CalculateSearchDirection(ref Matrix<double> pseudoHessian, out double maxLineSearchStep, out double startingStepSize, IObjectiveFunction previousPoint, IObjectiveFunction candidatePoint, Vector<double> step)
        {
            Iterations++;
            return base.CalculateSearchDirection(ref pseudoHessian, out maxLineSearchStep, out startingStepSize, previousPoint, candidatePoint, step);
        }
    }
}
