using CustomerGrains.Grains.Feed;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// A webhook's progress: which webhook of its id it belongs to, the feed position delivered up to, the batch being retried,
/// the dead letters and the latest attempts (oldest first).
/// </summary>
[GenerateSerializer, Alias("cg.WebhookDeliveryState")]
public sealed class WebhookDeliveryState
{
    [Id(0)] public Guid Uid { get; set; }

    [Id(1)] public ChangeCursor? Cursor { get; set; }

    [Id(2)] public RetryingBatch? Retrying { get; set; }

    [Id(3)] public List<DeadLetter> DeadLetters { get; set; } = [];

    [Id(4)] public List<DeliveryAttempt> Log { get; set; } = [];
}
