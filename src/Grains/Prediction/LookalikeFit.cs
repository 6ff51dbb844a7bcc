namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// A training with what only tests need: the held-out examples and ML.NET's own prediction for a subject (null
/// without a model), against which the extracted <see cref="LookalikeModel"/> is checked.
/// </summary>
internal sealed record LookalikeFit(
    LookalikeTraining Training,
    IReadOnlyList<LookalikeExample> HeldOut,
    Func<LookalikeSubject, double>? Reference);
