namespace CustomerGrains.Grains.Prediction;

/// <summary>ln(1 + eᵘ) and its derivative, without overflow: the log-sum-exp of 0 and u.</summary>
internal static class Softplus
{
    public static double Of(double u) => u > 0 ? u + Math.Log(1 + Math.Exp(-u)) : Math.Log(1 + Math.Exp(u));

    /// <summary>ln(1 + eᵘ) and its derivative eᵘ/(1 + eᵘ), with one exponential.</summary>
    public static double Of(double u, out double derivative)
    {
        var e = Math.Exp(-Math.Abs(u));
        derivative = u >= 0 ? 1 / (1 + e) : e / (1 + e);
        return Math.Max(u, 0) + Math.Log(1 + e);
    }
}
