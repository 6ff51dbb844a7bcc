namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// The features a lookalike model learns from, as seen in its training examples: per categorical feature the values
/// kept (the most frequent; the rest become <see cref="LookalikeModel.Other"/>), and the numeric features with their
/// training means. It turns a subject into the <see cref="LookalikeRow"/> ML.NET trains on and predicts from.
/// </summary>
internal sealed class LookalikeVocabulary
{
    // A token is "feature␟value": the unit separator does not occur in field names or values.
    private const char Separator = '\u001F';

    private readonly Dictionary<string, HashSet<string>> _kept;
    private readonly HashSet<string> _complete;
    private readonly double[] _means;

    private LookalikeVocabulary(Dictionary<string, HashSet<string>> kept, HashSet<string> complete, string[] numbers, double[] means)
    {
        _kept = kept;
        _complete = complete;
        NumberFeatures = numbers;
        _means = means;
    }

    /// <summary>The numeric features, in the order of <see cref="LookalikeRow.Numbers"/>.</summary>
    public IReadOnlyList<string> NumberFeatures { get; }

    public bool HasCategories => _kept.Count > 0;

    /// <summary>Whether every training customer has exactly one value of <paramref name="feature"/> (a country, a gender).</summary>
    public bool IsComplete(string feature) => _complete.Contains(feature);

    public static LookalikeVocabulary Learn(IEnumerable<LookalikeSubject> subjects, int maxCategoryValues)
    {
        var counts = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var singles = new Dictionary<string, int>(StringComparer.Ordinal);
        var subjectCount = 0;
        var sums = new Dictionary<string, (double Sum, long Count)>(StringComparer.Ordinal);
        foreach (var subject in subjects)
        {
            subjectCount++;
            foreach (var (feature, values) in subject.Categories)
            {
                if (values.Count == 0)
                {
                    continue;
                }

                if (!counts.TryGetValue(feature, out var byValue))
                {
                    counts[feature] = byValue = new Dictionary<string, int>(StringComparer.Ordinal);
                }

                // A customer counts once per value, however often it lists it.
                var distinct = values.Count == 1 ? values : [.. values.Distinct(StringComparer.Ordinal)];
                foreach (var value in distinct)
                {
                    byValue[value] = byValue.GetValueOrDefault(value) + 1;
                }

                if (distinct.Count == 1)
                {
                    singles[feature] = singles.GetValueOrDefault(feature) + 1;
                }
            }

            foreach (var (feature, value) in subject.Numbers)
            {
                if (double.IsFinite(value))
                {
                    var (sum, count) = sums.GetValueOrDefault(feature);
                    sums[feature] = (sum + value, count + 1);
                }
            }
        }

        var kept = counts.ToDictionary(
            f => f.Key,
            f => f.Value
                .OrderByDescending(v => v.Value)
                .ThenBy(v => v.Key, StringComparer.Ordinal)
                .Take(maxCategoryValues)
                .Select(v => v.Key)
                .ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);
        var complete = singles.Where(s => s.Value == subjectCount).Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var numbers = sums.Keys.Order(StringComparer.Ordinal).ToArray();
        return new LookalikeVocabulary(kept, complete, numbers, [.. numbers.Select(n => sums[n].Sum / sums[n].Count)]);
    }

    public LookalikeRow Row(LookalikeSubject subject, bool label = false, float weight = 1)
    {
        var tokens = new List<string>();
        foreach (var (feature, values) in subject.Categories)
        {
            if (!_kept.TryGetValue(feature, out var kept))
            {
                continue;
            }

            foreach (var value in values)
            {
                var token = Token(feature, kept.Contains(value) ? value : LookalikeModel.Other);
                if (!tokens.Contains(token))
                {
                    tokens.Add(token);
                }
            }
        }

        var numbers = new float[NumberFeatures.Count];
        for (var i = 0; i < numbers.Length; i++)
        {
            numbers[i] = (float)(subject.Numbers.TryGetValue(NumberFeatures[i], out var value) && double.IsFinite(value) ? value : _means[i]);
        }

        return new LookalikeRow { Label = label, Weight = weight, Tokens = [.. tokens], Numbers = numbers };
    }

    public static string Token(string feature, string value) => feature + Separator + value;

    public static (string Feature, string Value) Split(string token)
    {
        var at = token.IndexOf(Separator, StringComparison.Ordinal);
        return (token[..at], token[(at + 1)..]);
    }
}
