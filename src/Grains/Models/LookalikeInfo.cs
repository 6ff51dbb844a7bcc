using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Models;

/// <summary>
/// A lookalike model's definition and its latest training (null before the first): the status, positives and negatives,
/// held-out AUC and the effective variables; <see cref="InUseSince"/>: since when a trained model scores customers (the
/// latest training that produced one keeps scoring until another does).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.LookalikeInfo")]
public sealed record LookalikeInfo(
    [property: Id(0)] LookalikeDraft Draft,
    [property: Id(1)] LookalikeTraining? Training,
    [property: Id(2)] DateTimeOffset? TrainedAt,
    [property: Id(3)] TimeSpan Took,
    [property: Id(4)] DateTimeOffset? InUseSince);
