using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Tests.Prediction;

public sealed class HypergeometricTests
{
    /// <summary>ln 2F1 where 2F1 has a closed form.</summary>
    public static TheoryData<string, double, double, double, double, double> ClosedForms => new()
    {
        // 2F1(1, 1; 2; z) = −ln(1−z)/z
        { "−ln(1−z)/z", 1, 1, 2, 0.3, Math.Log(-Math.Log(0.7) / 0.3) },
        { "−ln(1−z)/z", 1, 1, 2, 0.99, Math.Log(-Math.Log(0.01) / 0.99) },
        { "−ln(1−z)/z", 1, 1, 2, 0.9999, Math.Log(-Math.Log(0.0001) / 0.9999) },
        // 2F1(a, b; b; z) = (1−z)^−a: terms that grow for a while before they fall (a large, z near 1), past what a double holds
        { "(1−z)^−a", 0.25, 3, 3, 0.5, -0.25 * Math.Log(0.5) },
        { "(1−z)^−a", 50, 2, 2, 0.9, -50 * Math.Log(0.1) },
        { "(1−z)^−a", 300, 2.4, 2.4, 0.95, -300 * Math.Log(0.05) },
        // 2F1(1/2, 1/2; 3/2; z²) = arcsin(z)/z
        { "arcsin(z)/z", 0.5, 0.5, 1.5, 0.25, Math.Log(Math.Asin(0.5) / 0.5) },
        { "arcsin(z)/z", 0.5, 0.5, 1.5, 0.81, Math.Log(Math.Asin(0.9) / 0.9) },
    };

    [Theory]
    [MemberData(nameof(ClosedForms))]
    public void The_series_matches_closed_forms(string form, double a, double b, double c, double z, double logExpected)
    {
        var log = Hypergeometric.Log2F1(a, b, c, z);

        Assert.True(Math.Abs(log - logExpected) <= 1e-12 * Math.Max(1, Math.Abs(logExpected)), $"{form}: ln 2F1 = {log}, expected {logExpected}");
    }

    [Theory]
    [InlineData(1, 1, 2, 1)]
    [InlineData(1, 1, 2, -0.5)]
    [InlineData(1, 1, 2, 1 - 1e-12)] // converges too slowly: given up, not a wrong value
    public void Outside_where_the_series_is_used_it_says_NaN(double a, double b, double c, double z)
    {
        Assert.True(double.IsNaN(Hypergeometric.Log2F1(a, b, c, z)));
    }
}
