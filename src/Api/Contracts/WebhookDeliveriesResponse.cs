using CustomerGrains.Grains.Webhooks;

namespace CustomerGrains.Api.Contracts;

/// <summary>A webhook's latest attempts, newest first.</summary>
public sealed record WebhookDeliveriesResponse(IReadOnlyList<WebhookDeliveryResponse> Items);

/// <summary>
/// One POST: when, its <c>webhook-id</c> (<c>messageId</c>), the receiver's <c>status</c> or the <c>error</c> met instead, how
/// long it took, how many changes it carried, and whether it replayed a dead letter.
/// </summary>
public sealed record WebhookDeliveryResponse(DateTimeOffset At, string MessageId, int? Status, string? Error, long LatencyMs, int Changes, bool Replay)
{
    public static WebhookDeliveryResponse From(DeliveryAttempt attempt) =>
        new(attempt.At, attempt.MessageId, attempt.Status, attempt.Error, attempt.LatencyMs, attempt.Changes, attempt.Replay);
}
