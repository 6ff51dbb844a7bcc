using System.Globalization;

namespace CustomerGrains.Grains.Prediction;

/// <summary>How a lookalike model's numbers read to a marketer: two significant digits, odds as "×2.4".</summary>
internal static class LookalikeText
{
    public static string Odds(double logOdds) => "×" + Short(Math.Exp(logOdds));

    public static string Category(string feature, string value, double logOdds) => $"{feature} = {value}: {Odds(logOdds)}";

    public static string Number(string feature, LookalikeNumber number) =>
        $"{feature}: {Odds(number.Weight)} per +{Short(number.StandardDeviation)}";

    public static string NumberValue(string feature, double value, LookalikeNumber number, double logOdds) =>
        $"{feature} = {Short(value)} (average {Short(number.Mean)}): {Odds(logOdds)}";

    /// <summary>Two significant digits, whole numbers from 100 up, and an exponent only past a million.</summary>
    public static string Short(double value)
    {
        if (!double.IsFinite(value) || value == 0)
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        var magnitude = Math.Abs(value);
        if (magnitude >= 1e6)
        {
            return value.ToString("0.#E+0", CultureInfo.InvariantCulture);
        }

        var decimals = Math.Clamp(1 - (int)Math.Floor(Math.Log10(magnitude)), 0, 15);
        return Math.Round(value, decimals).ToString("0.###############", CultureInfo.InvariantCulture);
    }
}
