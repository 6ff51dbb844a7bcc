using CustomerGrains.Grains.Feed;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// The batch a webhook failed to deliver and tries again (the webhook's changes after <see cref="After"/> up to
/// <see cref="Through"/>): after a restart the same batch, with the same <c>webhook-id</c>, is sent again.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.RetryingBatch")]
public sealed record RetryingBatch(
    [property: Id(0)] ChangeCursor? After,
    [property: Id(1)] ChangeCursor Through,
    [property: Id(2)] int Attempts,
    [property: Id(3)] DateTimeOffset NextAttemptAt,
    [property: Id(4)] string LastError);
