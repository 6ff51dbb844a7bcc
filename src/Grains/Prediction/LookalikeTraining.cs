namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// The outcome of training a lookalike model: the model (null unless <see cref="Status"/> is
/// <see cref="LookalikeStatus.Trained"/>), how many positives and negatives there were, the AUC on the held-out
/// share (null when nothing was held out) and a message for the marketer.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.LookalikeTraining")]
public sealed record LookalikeTraining(
    [property: Id(0)] LookalikeModel? Model,
    [property: Id(1)] LookalikeStatus Status,
    [property: Id(2)] int Positives,
    [property: Id(3)] int Negatives,
    [property: Id(4)] double? HeldOutAuc,
    [property: Id(5)] string? Message);
