using CustomerGrains.Grains.Feed;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// A batch given up on after the most attempts: the webhook's changes after <see cref="After"/> up to
/// <see cref="Through"/> (read back from the feed to replay it, so nothing of the change is copied here), sent as
/// <see cref="MessageId"/> (the <c>webhook-id</c>, kept on replay). <see cref="Replay"/>: asked to be sent again.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.DeadLetter")]
public sealed record DeadLetter(
    [property: Id(0)] string MessageId,
    [property: Id(1)] ChangeCursor? After,
    [property: Id(2)] ChangeCursor Through,
    [property: Id(3)] int Changes,
    [property: Id(4)] int Attempts,
    [property: Id(5)] string LastError,
    [property: Id(6)] DateTimeOffset FailedAt,
    [property: Id(7)] bool Replay);
