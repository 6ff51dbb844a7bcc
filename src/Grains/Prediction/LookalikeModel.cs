using System.Collections.Immutable;

namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// A trained lookalike model reduced to what scoring needs: a logistic regression's bias, a weight per categorical
/// value (feature → value → log-odds for its presence) and, per number, the training mean and standard deviation
/// with a weight per standard deviation (the normaliser folded in). Scoring is a few dictionary lookups and a
/// sigmoid, with no ML library, so it can run on every customer event.
/// </summary>
/// <remarks>
/// A value the model never saw counts as <see cref="Other"/> when the feature has that bucket (its rare values were
/// collapsed into it) and as nothing otherwise; a value listed twice counts once; a field or number the customer
/// lacks counts nothing, which is a typical value for a field every trained customer had (its median value weighs
/// zero) and the average for a number. The score is the probability of
/// belonging to the seed segment as if the segment and the rest of the store were equally large (see
/// <see cref="LookalikeTrainer"/>), so 0.5 means "as much like the seed as like the rest".
/// </remarks>
[GenerateSerializer, Immutable, Alias("cg.LookalikeModel")]
public sealed record LookalikeModel(
    [property: Id(0)] double Bias,
    [property: Id(1)] ImmutableDictionary<string, ImmutableDictionary<string, double>> Categories,
    [property: Id(2)] ImmutableDictionary<string, LookalikeNumber> Numbers)
{
    /// <summary>The bucket of a categorical feature's rare values.</summary>
    public const string Other = "other";

    /// <summary>
    /// The effective variables, largest |weight| first; values and numbers with a zero weight are left out. Built on
    /// each read (it is for the model's view, not for scoring), so a copy made with <c>with</c> never shows stale weights.
    /// </summary>
    public IReadOnlyList<LookalikeWeight> Weights => BuildWeights();

    /// <summary>How much <paramref name="subject"/> looks like the seed segment, 0..1.</summary>
    public double Score(LookalikeSubject subject) => Sigmoid(LogOdds(subject));

    /// <summary>The score before the sigmoid: bias plus every contribution.</summary>
    public double LogOdds(LookalikeSubject subject) => Visit(subject, null);

    /// <summary>The <paramref name="top"/> contributions to <paramref name="subject"/>'s score, largest |log-odds| first.</summary>
    public IReadOnlyList<LookalikeContribution> Explain(LookalikeSubject subject, int top = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        var contributions = new List<LookalikeContribution>();
        Visit(subject, contributions);
        return [.. contributions
            .OrderByDescending(c => Math.Abs(c.LogOdds))
            .ThenBy(c => c.Feature, StringComparer.Ordinal)
            .ThenBy(c => c.Value, StringComparer.Ordinal)
            .Take(top)];
    }

    internal static double Sigmoid(double logOdds) =>
        logOdds >= 0 ? 1 / (1 + Math.Exp(-logOdds)) : Math.Exp(logOdds) / (1 + Math.Exp(logOdds));

    /// <summary>The log-odds of <paramref name="subject"/>; with <paramref name="into"/>, also each non-zero contribution.</summary>
    private double Visit(LookalikeSubject subject, List<LookalikeContribution>? into)
    {
        var sum = Bias;
        foreach (var (feature, values) in subject.Categories)
        {
            if (!Categories.TryGetValue(feature, out var weights))
            {
                continue;
            }

            for (var i = 0; i < values.Count; i++)
            {
                if (Bucket(weights, values[i]) is not { } bucket || SeenBefore(weights, values, i, bucket))
                {
                    continue;
                }

                var weight = weights[bucket];
                sum += weight;
                if (into is not null && weight != 0)
                {
                    into.Add(new LookalikeContribution(feature, bucket, weight, LookalikeText.Category(feature, bucket, weight)));
                }
            }
        }

        foreach (var (feature, value) in subject.Numbers)
        {
            if (!Numbers.TryGetValue(feature, out var number))
            {
                continue;
            }

            var logOdds = number.LogOdds(value);
            sum += logOdds;
            if (into is not null && logOdds != 0)
            {
                into.Add(new LookalikeContribution(feature, null, logOdds, LookalikeText.NumberValue(feature, value, number, logOdds)));
            }
        }

        return sum;
    }

    /// <summary>The value itself when the model knows it, else <see cref="Other"/> when the feature has that bucket.</summary>
    private static string? Bucket(ImmutableDictionary<string, double> weights, string value) =>
        weights.ContainsKey(value) ? value : weights.ContainsKey(Other) ? Other : null;

    // Values are few (a customer's interests), so a look back costs less than a set.
    private static bool SeenBefore(ImmutableDictionary<string, double> weights, IReadOnlyList<string> values, int index, string bucket)
    {
        for (var j = 0; j < index; j++)
        {
            if (string.Equals(Bucket(weights, values[j]), bucket, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private List<LookalikeWeight> BuildWeights()
    {
        var categories = Categories
            .SelectMany(f => f.Value, (f, v) => (Feature: f.Key, Value: v.Key, Weight: v.Value))
            .Where(w => w.Weight != 0)
            .Select(w => new LookalikeWeight(w.Feature, w.Value, w.Weight, Math.Exp(w.Weight), LookalikeText.Category(w.Feature, w.Value, w.Weight)));
        var numbers = Numbers
            .Where(n => n.Value.Weight != 0)
            .Select(n => new LookalikeWeight(n.Key, null, n.Value.Weight, Math.Exp(n.Value.Weight), LookalikeText.Number(n.Key, n.Value)));
        return [.. categories.Concat(numbers)
            .OrderByDescending(w => Math.Abs(w.Weight))
            .ThenBy(w => w.Feature, StringComparer.Ordinal)
            .ThenBy(w => w.Value, StringComparer.Ordinal)];
    }
}
