namespace CustomerGrains.Grains.Feed;

/// <summary>
/// A read of a store's change feed: the changes after <see cref="After"/> (null: from the first held; with
/// <see cref="FromLatest"/>, after the newest held — only what comes next), of one segment or all, at most
/// <see cref="Limit"/>, waiting up to <see cref="Wait"/> for one when there is none yet.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.ChangeQuery")]
public sealed record ChangeQuery(
    [property: Id(0)] ChangeCursor? After,
    [property: Id(1)] string? Segment,
    [property: Id(2)] int Limit,
    [property: Id(3)] TimeSpan Wait,
    [property: Id(4)] bool FromLatest = false);

/// <summary>
/// A page of the feed, and the cursor to read on from (<see cref="Next"/>: after the last change read or passed over; the
/// query's own when there was none, or null from the start). <see cref="Expired"/>: the query's cursor is older than the
/// feed's retention; the changes after it may be gone — restart from the members and <see cref="Latest"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.ChangePage")]
public sealed record ChangePage(
    [property: Id(0)] IReadOnlyList<FeedChange> Items,
    [property: Id(1)] ChangeCursor? Next,
    [property: Id(2)] bool Expired = false,
    [property: Id(3)] ChangeCursor? Latest = null,
    [property: Id(4)] string? Error = null);
