using CustomerGrains.Grains.Feed;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// A webhook as stored by its store's catalog. <see cref="Uid"/> tells this webhook from an earlier one of the same id
/// (its deliverer's state belongs to one of them); <see cref="StartAfter"/> is the feed's position when it was created: it
/// delivers the changes after it (null: the feed held none, so every change).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.WebhookDefinition")]
public sealed record WebhookDefinition(
    [property: Id(0)] WebhookInfo Info,
    [property: Id(1)] string Secret,
    [property: Id(2)] Guid Uid,
    [property: Id(3)] ChangeCursor? StartAfter)
{
    /// <summary>Whether the webhook delivers this change.</summary>
    public bool Wants(FeedChange change) =>
        (Info.Segments.IsEmpty || Info.Segments.Contains(change.Segment))
        && (Info.Kinds.IsEmpty || Info.Kinds.Contains(change.Entered ? WebhookKinds.Entered : WebhookKinds.Exited));
}
