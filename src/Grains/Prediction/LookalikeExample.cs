namespace CustomerGrains.Grains.Prediction;

/// <summary>One customer to learn from: <paramref name="Positive"/> when it belongs to the seed segment.</summary>
public sealed record LookalikeExample(LookalikeSubject Subject, bool Positive);
