namespace CustomerGrains.Api.Contracts;

/// <summary>A page of a store's change feed; pass <c>next</c> back as <c>after</c> (it is the query's own when nothing came).</summary>
public sealed record ChangesResponse(IReadOnlyList<ChangeResponse> Items, string? Next);

/// <summary>
/// One membership change: <c>kind</c> entered or exited; <c>cursor</c> is the position right after it (also the
/// Server-Sent Events id); <c>seq</c> the journal entry that recorded it (several changes of one entry share it).
/// </summary>
public sealed record ChangeResponse(
    string Cursor, long Seq, string Segment, long? Version, string CustomerId, string Kind, DateTimeOffset At, string Cause, bool Holdout);
