namespace CustomerGrains.Grains.Feed;

/// <summary>
/// One membership change as the feed tells it: the customer <see cref="Entered"/> (or left) the segment's
/// <see cref="Version"/> at <see cref="At"/>, for <see cref="Cause"/> (what the customer view reports: an event id, a
/// deadline, a segment, an erasure, a model). <see cref="Seq"/>: the journal entry that recorded it (several changes of one
/// entry share it). <see cref="Version"/>: null when that version of the segment is no longer in the catalog.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.FeedChange")]
public sealed record FeedChange(
    [property: Id(0)] ChangeCursor Cursor,
    [property: Id(1)] long Seq,
    [property: Id(2)] string Segment,
    [property: Id(3)] long? Version,
    [property: Id(4)] string CustomerId,
    [property: Id(5)] bool Entered,
    [property: Id(6)] DateTimeOffset At,
    [property: Id(7)] string Cause,
    [property: Id(8)] bool Holdout);
