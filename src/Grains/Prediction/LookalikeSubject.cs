namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// What a customer looks like to a lookalike model: categorical values (a field may hold several, e.g. interests)
/// and numbers. A field the customer lacks is simply absent: it counts nothing, as a number that is absent or not
/// finite counts as the training average.
/// </summary>
public sealed record LookalikeSubject(
    IReadOnlyDictionary<string, IReadOnlyList<string>> Categories,
    IReadOnlyDictionary<string, double> Numbers);
