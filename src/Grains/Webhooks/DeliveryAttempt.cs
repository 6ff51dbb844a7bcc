namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// One POST to a webhook's receiver: when, the message (<c>webhook-id</c>), the receiver's status code or the error met
/// instead (a refused destination, a connection failure, a timeout), how long it took, how many changes it carried, and
/// whether it replayed a dead letter.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.DeliveryAttempt")]
public sealed record DeliveryAttempt(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string MessageId,
    [property: Id(2)] int? Status,
    [property: Id(3)] string? Error,
    [property: Id(4)] long LatencyMs,
    [property: Id(5)] int Changes,
    [property: Id(6)] bool Replay)
{
    public bool Delivered => Status is >= 200 and < 300;
}
